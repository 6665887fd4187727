package dev.surge.orders;

import dev.surge.contracts.StockApi;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.surge.testing.TestService.await;

/**
 * The catalog's stock addresses, answered by the test: it counts the reservations it is asked for and answers each
 * after {@code delayMs}, reserving (with {@link #remaining} left after it) or, when that is below zero, refusing
 * for want of stock with none left. Releases are acknowledged.
 */
final class CatalogStandIn {

  final AtomicInteger asked = new AtomicInteger();
  final AtomicInteger remaining = new AtomicInteger(-1);

  CatalogStandIn(Vertx vertx, long delayMs) {
    MessageConsumer<JsonObject> reserve = vertx.eventBus().consumer(StockApi.RESERVE, message -> {
      asked.incrementAndGet();
      vertx.setTimer(Math.max(1, delayMs), id -> {
        JsonObject request = message.body();
        int left = remaining.get();
        if (left >= 0) {
          message.reply(new JsonObject().put("reservationId", request.getString("reservationId"))
            .put("productId", request.getLong("productId")).put("quantity", request.getInteger("quantity"))
            .put("remaining", left));
        } else {
          StockApi.fail(message, StockApi.Failure.INSUFFICIENT_STOCK, "0 left, " + request.getInteger("quantity")
            + " asked", 0);
        }
      });
    });
    MessageConsumer<JsonObject> release = vertx.eventBus().consumer(StockApi.RELEASE,
      message -> message.reply(new JsonObject().put("released", true)));
    await(reserve.completion());
    await(release.completion());
  }
}
