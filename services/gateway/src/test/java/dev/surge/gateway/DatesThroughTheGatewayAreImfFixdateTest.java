package dev.surge.gateway;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.HttpDates;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's answers carry one Date as IMF-fixdate, its own and the proxied ones: Vert.x's proxy writes the
 * upstream's Date again with RFC_1123_DATE_TIME, which gives a one-digit day from the 1st to the 9th.
 */
class DatesThroughTheGatewayAreImfFixdateTest {

  private static TestService catalog;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    catalog = TestService.start(CatalogMain.definition());
    gateway = Gateways.inFrontOf("127.0.0.1:" + catalog.port(), Map.of());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    catalog.close();
  }

  @Test
  void proxiedAndOwnAnswersAreDated() {
    HttpResponse<Buffer> created = gateway.postJson("/api/catalog/products", new JsonObject().put("sku", "DATE-1")
      .put("name", "Dated").put("price", 100).put("currency", "EUR").put("stock", 3));
    assertDated(created, 201);
    String path = created.getHeader("Location");
    HttpResponse<Buffer> read = gateway.get(path);
    assertDated(read, 200);
    assertDated(gateway.get(path, MultiMap.caseInsensitiveMultiMap().add("If-None-Match", read.getHeader("ETag"))), 304);
    assertDated(gateway.send(HttpMethod.HEAD, path, MultiMap.caseInsensitiveMultiMap(), null), 200);
    assertDated(gateway.get("/api/catalog/products/999999999"), 404);
    assertDated(gateway.get("/api/nothing"), 404);
    assertDated(gateway.get("/health/live"), 200);
  }

  private static void assertDated(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as("status, body %s", response.bodyAsString()).isEqualTo(status);
    HttpDates.assertOneImfFixdate(response.headers().getAll("Date"));
  }
}
