package dev.surge.orders;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class FulfilJobConfirmsTest {

  private static final Vertx vertx = Vertx.vertx();
  private static final List<JsonObject> posted = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
  private static final HttpServer webhook = await(vertx.createHttpServer().requestHandler(request ->
    request.body().onSuccess(body -> {
      // Each order's first call fails: the job must retry it before it confirms the order.
      String id = body.toJsonObject().getString("id");
      if (calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1) {
        request.response().setStatusCode(502).end();
      } else {
        posted.add(body.toJsonObject());
        request.response().setStatusCode(204).end();
      }
    })).listen(0, "127.0.0.1"));

  @RegisterExtension
  static final Platform platform = Platform.perClass(Map.of(
    "orders.webhookUrl", "http://127.0.0.1:" + webhook.actualPort() + "/orders"));

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void thePlacedOrderIsPostedToTheWebhookWithRetriesThenConfirmed() {
    long product = platform.product(5);
    JsonObject order = platform.place("fulfil-me", Platform.order("ivy", product, 1)).bodyAsJsonObject();
    assertThat(order.getString("status")).isEqualTo("pending");

    Platform.eventually("confirmed", () -> "confirmed".equals(
      platform.orders().get("/orders/" + order.getString("id")).bodyAsJsonObject().getString("status")));
    assertThat(calls.get(order.getString("id")).get()).isEqualTo(2);
    assertThat(posted).filteredOn(o -> o.getString("id").equals(order.getString("id"))).hasSize(1)
      .first().satisfies(o -> assertThat(o.getString("customerId")).isEqualTo("ivy"));
    assertThat(platform.orders().get("/orders/" + order.getString("id")).bodyAsJsonObject().getString("confirmedAt"))
      .isNotNull();
  }

  @Test
  void everyPlacedOrderIsPublishedOnTheEventBus() {
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    var consumer = platform.orders().running().vertx().eventBus()
      .<JsonObject>consumer("orders.placed", message -> published.add(message.body()));
    await(consumer.completion());
    long product = platform.product(5);
    String id = platform.place("published", Platform.order("jack", product, 2)).bodyAsJsonObject().getString("id");
    Platform.eventually("published", () -> published.stream().anyMatch(o -> o.getString("id").equals(id)));
    await(consumer.unregister());
  }
}
