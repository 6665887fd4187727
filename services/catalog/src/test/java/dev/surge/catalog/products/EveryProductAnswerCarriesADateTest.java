package dev.surge.catalog.products;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.HttpDates;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 §6.6.1: reads, conditional reads (304), HEAD and problems all carry one Date, as IMF-fixdate. */
class EveryProductAnswerCarriesADateTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());

  @Test
  void readsNotModifiedHeadAndProblemsAreDated() {
    long id = Products.create(service).getLong("id");
    HttpResponse<Buffer> read = service.get("/products/" + id);
    assertDated(read, 200);
    assertDated(service.get("/products/" + id, MultiMap.caseInsensitiveMultiMap()
      .add("If-None-Match", read.getHeader("ETag"))), 304);
    assertDated(service.send(HttpMethod.HEAD, "/products/" + id, MultiMap.caseInsensitiveMultiMap(), null), 200);
    assertDated(service.get("/products?limit=2"), 200);
    assertDated(service.get("/products/999999999"), 404);
    assertDated(service.get("/products/abc"), 400);
    assertDated(service.send(HttpMethod.DELETE, "/products", MultiMap.caseInsensitiveMultiMap(), null), 405);
  }

  private static void assertDated(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as("status, body %s", response.bodyAsString()).isEqualTo(status);
    HttpDates.assertOneImfFixdate(response.headers().getAll("Date"));
  }
}
