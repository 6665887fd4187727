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
 * A catalog replica killed with reservations in hand answers none of them, and the cluster keeps giving it its
 * turn until it drops the replica ({@code cluster.failAfter}). The stand-in here loses every copy of the first
 * {@value #LOST} attempts at each reservation, and answers after: an order whose reservation was lost that often
 * is still placed within the default {@code orders.catalogTimeout} (2 s), and each attempt after the first came as
 * two copies (in a cluster, two replicas: {@link AReservationAskedAgainReachesTwoReplicasTest}).
 */
class AnOrderOutlivesAReplicaThatDiedWithItsReservationsTest {

  private static final int LOST = 3;
  private static TestService orders;
  /** The copies of each attempt that reached the stand-in. */
  private static final Map<Integer, AtomicInteger> copies = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    orders = TestService.start(OrdersMain.definition(), new HashMap<>(Platform.FAST));
    MessageConsumer<JsonObject> catalog = orders.running().vertx().eventBus().consumer(StockApi.RESERVE, message -> {
      JsonObject request = message.body();
      int attempt = Integer.parseInt(message.headers().get(StockApi.ATTEMPT));
      copies.computeIfAbsent(attempt, a -> new AtomicInteger()).incrementAndGet();
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
  void anOrderWhoseReservationWasLostThreeAttemptsInARowIsPlaced() {
    var response = orders.send(HttpMethod.POST, "/orders",
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Idempotency-Key", "dead-replica"),
      Platform.order("hana", 3, 1).encode());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(copies.keySet()).as("attempts").containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(copies.get(1)).as("copies of the first attempt").hasValue(1);
    assertThat(copies.get(2)).as("copies of the second").hasValue(2);
    assertThat(copies.get(3)).as("copies of the third").hasValue(2);
  }
}
