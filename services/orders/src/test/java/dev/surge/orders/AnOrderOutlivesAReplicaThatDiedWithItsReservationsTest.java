package dev.surge.orders;

import dev.surge.catalog.api.StockApi;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catalog replica killed with reservations in hand answers none of them, and the cluster keeps sending it its
 * share until it drops the replica ({@code cluster.failAfter}): with two replicas, each attempt has an even chance
 * of going to it. The stand-in here plays that replica for the first {@value #LOST} attempts at each reservation,
 * and the live one after: an order whose reservation was lost that many times in a row is still placed within
 * the default {@code orders.catalogTimeout} (2 s).
 */
class AnOrderOutlivesAReplicaThatDiedWithItsReservationsTest {

  private static final int LOST = 5;
  private static TestService orders;
  private static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    orders = TestService.start(OrdersMain.definition(), new HashMap<>(Platform.FAST));
    MessageConsumer<JsonObject> catalog = orders.running().vertx().eventBus().consumer(StockApi.RESERVE, message -> {
      JsonObject request = message.body();
      int attempt = attempts.computeIfAbsent(request.getString("reservationId"), id -> new AtomicInteger())
        .incrementAndGet();
      if (attempt > LOST) {
        message.reply(new JsonObject().put("reservationId", request.getString("reservationId"))
          .put("productId", request.getLong("productId")).put("quantity", request.getInteger("quantity"))
          .put("remaining", 100));
      }
    });
    await(catalog.completion());
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  @Test
  void anOrderWhoseReservationWentFiveTimesToADeadReplicaIsPlaced() {
    var response = orders.send(HttpMethod.POST, "/orders",
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Idempotency-Key", "dead-replica"),
      Platform.order("hana", 3, 1).encode());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(attempts.values()).extracting(AtomicInteger::get).containsExactly(LOST + 1);
  }
}
