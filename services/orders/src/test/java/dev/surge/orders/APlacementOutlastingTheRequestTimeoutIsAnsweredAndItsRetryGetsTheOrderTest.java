package dev.surge.orders;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A placement still running when {@code http.requestTimeout} passes (orders' own default is 8 s, under a client's
 * usual 10 s, so that a placement held up by PostgreSQL is answered rather than timed out): the client gets 503
 * with Retry-After, the placement goes on, and the retry with the same Idempotency-Key gets the order it placed,
 * placed once.
 */
class APlacementOutlastingTheRequestTimeoutIsAnsweredAndItsRetryGetsTheOrderTest {

  @Test
  void theClientGets503AndItsRetryTheOneOrderPlaced() throws Exception {
    try (CatalogStandIn catalog = new CatalogStandIn(Map.of("http.requestTimeout", "300ms"), 1000)) {
      catalog.remaining.set(50);
      int before = ordersOfIvy(catalog);

      var first = catalog.place("outlasted", 4);
      assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(503);
      assertThat(first.getHeader("Retry-After")).isNotNull();
      assertThat(first.getHeader("Content-Type")).startsWith("application/problem+json");

      var retry = catalog.place("outlasted", 4);
      for (int i = 0; i < 50 && retry.statusCode() == 409; i++) { // still reserving: 409 request-in-progress
        Thread.sleep(100);
        retry = catalog.place("outlasted", 4);
      }
      assertThat(retry.statusCode()).as(retry.bodyAsString()).isEqualTo(201);
      String id = new JsonObject(retry.bodyAsString()).getString("id");
      assertThat(catalog.place("outlasted", 4).bodyAsString()).as("replayed").contains(id);
      assertThat(ordersOfIvy(catalog)).as("orders placed").isEqualTo(before + 1);
    }
  }

  private static int ordersOfIvy(CatalogStandIn catalog) {
    return catalog.orders.get("/orders?customerId=ivy&limit=100").bodyAsJsonObject().getJsonArray("items").size();
  }
}
