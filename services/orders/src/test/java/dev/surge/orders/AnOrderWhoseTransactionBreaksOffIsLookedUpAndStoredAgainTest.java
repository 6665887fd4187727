package dev.surge.orders;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.orders.APlacementNotStoredInTimeOrdersNothingTest.ordersOfIvy;
import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session running an order's transaction ends before it commits (PostgreSQL restarting, a connection reset):
 * orders looks the request up, finds it still reserving (rolled back), writes the order again on another
 * connection, and answers 201, its stock reserved once: not 503 for an order it could still place.
 */
class AnOrderWhoseTransactionBreaksOffIsLookedUpAndStoredAgainTest {

  @Test
  void itIsAnswered201() throws Exception {
    try (CatalogStandIn catalog = new CatalogStandIn(Map.of("http.requestTimeout", "6s"), 200)) {
      catalog.remaining.set(50);
      int before = ordersOfIvy(catalog);

      Future<HttpResponse<Buffer>> answer;
      try (RequestRowLock lock = new RequestRowLock(catalog, "broken-off")) {
        answer = lock.answer;
        int first = lock.waiter();
        assertThat(first).as("the order's transaction waits").isPositive();
        lock.terminate(first);
        int second = lock.waiterOtherThan(first);
        assertThat(second).as("written again, on another session").isPositive();
        assertThat(answer.isComplete()).as("answered before it is stored").isFalse();
      }

      var placed = await(answer);
      assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
      String id = new JsonObject(placed.bodyAsString()).getString("id");
      assertThat(catalog.place("broken-off", 4).bodyAsString()).as("replayed").contains(id);
      assertThat(ordersOfIvy(catalog)).as("orders placed").isEqualTo(before + 1);
      assertThat(catalog.releasesScheduled()).as("stock given back").isZero();
    }
  }
}
