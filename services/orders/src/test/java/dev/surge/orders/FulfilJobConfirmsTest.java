package dev.surge.orders;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class FulfilJobConfirmsTest {

  /** Fails each change the first time it is posted: the job must post it again. */
  private static final WebhookReceiver webhook = new WebhookReceiver((post, before) ->
    Future.succeededFuture(before == 0 ? 502 : 204));

  @RegisterExtension
  static final Platform platform = Platform.perClass(Map.of("orders.webhookUrl", webhook.url()));

  @AfterAll
  static void stop() {
    webhook.close();
  }

  @Test
  void thePlacedOrderIsConfirmedAndTheWebhookHearsBothChangesInOrderWithRetries() {
    long product = platform.product(5);
    JsonObject order = platform.place("fulfil-me", Platform.order("ivy", product, 1)).bodyAsJsonObject();
    assertThat(order.getString("status")).isEqualTo("pending");
    String id = order.getString("id");

    Platform.eventually("confirmed", () -> "confirmed".equals(
      platform.orders().get("/orders/" + id).bodyAsJsonObject().getString("status")));
    Platform.eventually("both changes heard", () -> webhook.changes(id).size() == 2);
    Platform.untilNoJobIsLeft(platform.orders().pgUrl());

    JsonObject confirmed = platform.orders().get("/orders/" + id).bodyAsJsonObject();
    assertThat(confirmed.getString("confirmedAt")).isNotNull();
    List<JsonObject> changes = webhook.changes(id);
    assertThat(changes).extracting(c -> c.getString("type")).containsExactly("placed", "confirmed");
    assertThat(changes).extracting(c -> c.getInteger("sequence")).containsExactly(1, 2);
    assertThat(changes.get(0).getJsonObject("order")).isEqualTo(order);
    assertThat(changes.get(1).getJsonObject("order")).isEqualTo(confirmed);
    assertThat(changes).allSatisfy(c -> assertThat(webhook.posts(c.getString("eventId")))
      .as("refused once, then posted again under the same event id").isGreaterThanOrEqualTo(2));
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
