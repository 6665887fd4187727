package dev.surge.orders;

import dev.surge.catalog.api.StockApi;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The orders service alone, with a catalog stand-in that takes reservations and never answers them. */
class CatalogNotAnsweringTest {

  private static TestService orders;
  private static final List<JsonObject> releases = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    Map<String, Object> config = new java.util.HashMap<>(Platform.FAST);
    config.put("orders.catalogTimeout", "300ms");
    orders = TestService.start(OrdersMain.definition(), config);
    var bus = orders.running().vertx().eventBus();
    MessageConsumer<JsonObject> silent = bus.consumer(StockApi.RESERVE, message -> { });
    MessageConsumer<JsonObject> release = bus.consumer(StockApi.RELEASE, message -> {
      releases.add(message.body());
      message.reply(new JsonObject().put("released", false));
    });
    await(silent.completion());
    await(release.completion());
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  @Test
  void aCatalogThatDoesNotAnswerInTimeGives503AndEveryReservationIsReleased() {
    var response = orders.send(io.vertx.core.http.HttpMethod.POST, "/orders",
      io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
        .add("Idempotency-Key", "slow-catalog"),
      Platform.order("gina", 7, 1, 8, 2).encode());

    Problems.assertProblem(response, 503, "catalog-unavailable");
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    Platform.eventually("both lines released", () -> releases.size() == 2);
    assertThat(releases).extracting(r -> r.getLong("productId")).containsExactlyInAnyOrder(7L, 8L);
    assertThat(releases).allSatisfy(r -> assertThat(r.getString("reservationId")).isNotBlank());

    var retry = orders.send(io.vertx.core.http.HttpMethod.POST, "/orders",
      io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
        .add("Idempotency-Key", "slow-catalog"),
      Platform.order("gina", 7, 1, 8, 2).encode());
    assertThat(retry.statusCode()).as("the key is free again for a retry").isEqualTo(503);
  }
}
