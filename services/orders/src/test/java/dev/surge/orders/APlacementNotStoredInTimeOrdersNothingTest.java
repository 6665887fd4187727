package dev.surge.orders;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A placement that cannot be stored before it must be answered ({@code http.requestTimeout} less a quarter, at
 * most a second; here the catalog confirms the stock only after that) is answered 503 {@code not-stored-in-time}, and
 * that stays true: when the reservation comes back, the order is not written, its stock goes back, and the retry
 * with the same key is placed afresh.
 */
class APlacementNotStoredInTimeOrdersNothingTest {

  @Test
  void itIsAnswered503AndNothingIsOrderedAfter() throws Exception {
    try (CatalogStandIn catalog = new CatalogStandIn(Map.of("http.requestTimeout", "2s"), 1)) {
      catalog.remaining.set(50);
      int before = ordersOfIvy(catalog);

      catalog.holdReservations(); // the catalog confirms only after the answer (1.5 s)
      var first = catalog.place("late", 4);
      assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(503);
      assertThat(first.getHeader("Retry-After")).isNotNull();
      assertThat(new JsonObject(first.bodyAsString()).getString("type")).endsWith("/not-stored-in-time");
      assertThat(catalog.asked.get()).as("claimed, and asked for the stock").isPositive();

      catalog.answerHeldReservations();
      for (int i = 0; i < 100 && catalog.released.get() == 0; i++) {
        Thread.sleep(100);
      }
      assertThat(catalog.released.get()).as("the reservation confirmed late is given back").isEqualTo(1);
      assertThat(ordersOfIvy(catalog)).as("orders stored").isEqualTo(before);

      int asked = catalog.asked.get();
      var retry = catalog.place("late", 4);
      assertThat(retry.statusCode()).as("the retry, placed afresh: " + retry.bodyAsString()).isEqualTo(201);
      assertThat(catalog.asked.get()).as("the retry reserves afresh").isGreaterThan(asked);
      assertThat(ordersOfIvy(catalog)).as("orders stored").isEqualTo(before + 1);
    }
  }

  static int ordersOfIvy(CatalogStandIn catalog) {
    return catalog.orders.get("/orders?customerId=ivy&limit=100").bodyAsJsonObject().getJsonArray("items").size();
  }
}
