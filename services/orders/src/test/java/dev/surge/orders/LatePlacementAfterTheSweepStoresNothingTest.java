package dev.surge.orders;

import dev.surge.catalog.api.StockApi;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A placement stalled past {@code orders.sweepAfter} (a process paused, a catalog slow to answer) finds that the
 * sweeper dropped its request and gave its stock back: it stores no order and answers 503, so no order is left
 * without its reservation.
 */
class LatePlacementAfterTheSweepStoresNothingTest {

  private static TestService orders;
  private static final List<JsonObject> releases = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    Map<String, Object> config = new HashMap<>(Platform.FAST);
    config.put("orders.catalogTimeout", "10s");
    config.put("orders.sweepAfter", "1s");
    config.put("orders.sweepInterval", "100ms");
    orders = TestService.start(OrdersMain.definition(), config);
    var vertx = orders.running().vertx();
    // A catalog stand-in that reserves, but only after the sweeper has had its go at the request.
    MessageConsumer<JsonObject> slow = vertx.eventBus().consumer(StockApi.RESERVE, message ->
      vertx.setTimer(2500, id -> message.reply(new JsonObject().put("reservationId",
        message.body().getString("reservationId")).put("remaining", 9))));
    MessageConsumer<JsonObject> release = vertx.eventBus().consumer(StockApi.RELEASE, message -> {
      releases.add(message.body());
      message.reply(new JsonObject().put("released", true));
    });
    await(slow.completion());
    await(release.completion());
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  @Test
  void theStalledPlacementAnswers503AndStoresNoOrder() {
    var response = orders.send(HttpMethod.POST, "/orders", MultiMap.caseInsensitiveMultiMap()
      .add("Content-Type", "application/json").add("Idempotency-Key", "stalled"),
      Platform.order("quinn", 5, 1).encode());

    Problems.assertProblem(response, 503, "request-expired");
    assertThat(orders.get("/orders?customerId=quinn").bodyAsJsonObject().getJsonArray("items")).isEmpty();
    Platform.eventually("the sweeper's release reaches the catalog", () -> !releases.isEmpty());
    assertThat(releases.getFirst().getLong("productId")).isEqualTo(5);
  }
}
