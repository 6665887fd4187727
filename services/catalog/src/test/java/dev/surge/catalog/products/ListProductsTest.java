package dev.surge.catalog.products;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class ListProductsTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());
  private static final List<Long> ids = new ArrayList<>();

  @BeforeAll
  static void seed() {
    for (int i = 0; i < 7; i++) {
      ids.add(Products.create(service).getLong("id"));
    }
  }

  @Test
  void followingNextLinksWalksEveryProductOnceInOrder() {
    List<Long> seen = new ArrayList<>();
    String next = "/products?limit=3";
    int pages = 0;
    while (next != null) {
      HttpResponse<Buffer> response = service.get(next);
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject body = response.bodyAsJsonObject();
      JsonArray items = body.getJsonArray("items");
      items.forEach(item -> seen.add(((JsonObject) item).getLong("id")));
      next = body.getString("next");
      if (next != null) {
        assertThat(response.getHeader("Link")).isEqualTo("<" + next + ">; rel=\"next\"");
        assertThat(items).hasSize(3);
      }
      pages++;
    }
    assertThat(seen).isEqualTo(ids);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void theDefaultPageHoldsTwenty() {
    JsonObject body = service.get("/products").bodyAsJsonObject();
    assertThat(body.getJsonArray("items")).hasSize(7);
    assertThat(body.getValue("next")).isNull();
  }

  @Test
  void aLimitOutOfRangeIs400() {
    for (String limit : List.of("0", "101", "abc", "-5", "1.5")) {
      JsonObject problem = assertProblem(service.get("/products?limit=" + limit), 400, "validation-failed");
      assertThat(problem.getJsonArray("errors").encode()).contains("\"limit\"");
    }
  }

  @Test
  void aForgedCursorIs400() {
    for (String cursor : List.of("zzz", "%25%25", "YWZ0ZXI6LTE", "bm9wZQ")) {
      JsonObject problem = assertProblem(service.get("/products?cursor=" + cursor), 400, "validation-failed");
      assertThat(problem.getJsonArray("errors").encode()).contains("\"cursor\"");
    }
  }
}
