package dev.surge.orders;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An order cancelled while the webhook hears of it: the receiver is told of the cancellation, after whatever came
 * before it and in the order it happened, and never of a confirmation that did not happen.
 */
class TheWebhookHearsEveryChangeOfAnOrderInOrderTest {

  /** Cancels each order when it first hears of it (the order placed), before it answers that post. */
  private static final WebhookReceiver receiver = new WebhookReceiver(new java.util.function.BiFunction<>() {
    private WebClient client;

    @Override
    public Future<Integer> apply(JsonObject post, Integer before) {
      if (before > 0 || !post.getString("type", "placed").equals("placed")) {
        return Future.succeededFuture(204);
      }
      if (client == null) {
        client = WebClient.create(TheWebhookHearsEveryChangeOfAnOrderInOrderTest.receiver.vertx());
      }
      String orderId = post.getString("orderId", post.getString("id"));
      return client.post(TheWebhookHearsEveryChangeOfAnOrderInOrderTest.platform.orders().port(), "127.0.0.1",
        "/orders/" + orderId + "/cancel").send().map(cancelled -> 204);
    }
  });

  @RegisterExtension
  static final Platform platform = Platform.perClass(Map.of("orders.webhookUrl", receiver.url()));

  @AfterAll
  static void stop() {
    receiver.close();
  }

  @Test
  void anOrderCancelledWhileTheWebhookHearsOfItSendsTheCancellationLast() {
    long product = platform.product(5);
    String id = platform.place("cancelled-midway", Platform.order("rita", product, 1)).bodyAsJsonObject()
      .getString("id");

    Platform.eventually("the cancellation reaches the webhook", () -> receiver.changes(id).stream()
      .anyMatch(change -> "cancelled".equals(change.getString("type"))));
    assertThat(platform.orders().postJson("/orders/" + id + "/cancel", new JsonObject()).statusCode())
      .as("cancelling again changes nothing").isEqualTo(200);
    Platform.untilNoJobIsLeft(platform.orders().pgUrl());

    JsonObject order = platform.orders().get("/orders/" + id).bodyAsJsonObject();
    assertThat(order.getString("status")).isEqualTo("cancelled");
    List<JsonObject> changes = receiver.changes(id);
    List<String> expected = order.getString("confirmedAt") == null
      ? List.of("placed", "cancelled")               // cancelled before the fulfilment confirmed it
      : List.of("placed", "confirmed", "cancelled"); // confirmed first, then cancelled
    assertThat(changes).extracting(change -> change.getString("type")).isEqualTo(expected);
    assertThat(changes).extracting(change -> change.getInteger("sequence"))
      .isEqualTo(IntStream.rangeClosed(1, expected.size()).boxed().toList());
    assertThat(changes).allSatisfy(change -> {
      assertThat(change.getString("orderId")).isEqualTo(id);
      assertThat(change.getString("eventId")).isNotBlank();
      assertThat(change.getJsonObject("order").getString("status"))
        .isEqualTo(change.getString("type").equals("placed") ? "pending" : change.getString("type"));
    });
    assertThat(changes.getLast().getJsonObject("order")).isEqualTo(order);
  }
}
