package dev.surge.orders;

import dev.surge.catalog.api.StockApi;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.surge.testing.TestService.await;

/**
 * Orders alone, with the catalog's stock addresses answered by the test: the stand-in counts the reservations it
 * is asked for and answers each after {@code delayMs}, reserving (with {@link #remaining} left after it) or, when
 * that is below zero, refusing for want of stock with none left. Releases are counted and acknowledged.
 */
final class CatalogStandIn implements AutoCloseable {

  final TestService orders;
  final AtomicInteger asked = new AtomicInteger();
  final AtomicInteger remaining = new AtomicInteger(-1);
  final AtomicInteger released = new AtomicInteger();

  /** @param ordersOverrides orders' configuration beside {@link Platform#FAST} */
  CatalogStandIn(Map<String, Object> ordersOverrides, long delayMs) {
    this(null, ordersOverrides, delayMs);
  }

  /** @param pgUrl the database orders uses, which the test made and drops; null: one of its own */
  CatalogStandIn(String pgUrl, Map<String, Object> ordersOverrides, long delayMs) {
    Map<String, Object> config = new HashMap<>(Platform.FAST);
    config.putAll(ordersOverrides);
    orders = pgUrl == null ? TestService.start(OrdersMain.definition(), config)
      : TestService.onDatabase(pgUrl, OrdersMain.definition(), config);
    Vertx vertx = orders.running().vertx();
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
    MessageConsumer<JsonObject> release = vertx.eventBus().consumer(StockApi.RELEASE, message -> {
      released.incrementAndGet();
      message.reply(new JsonObject().put("released", true));
    });
    await(reserve.completion());
    await(release.completion());
  }

  /** An order of one unit of {@code product}, sent under {@code key}. */
  Future<HttpResponse<Buffer>> send(String key, long product) {
    return orders.request(HttpMethod.POST, "/orders")
      .putHeaders(MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Idempotency-Key", key))
      .sendBuffer(Buffer.buffer(Platform.order("ivy", product, 1).encode()));
  }

  HttpResponse<Buffer> place(String key, long product) {
    return await(send(key, product));
  }

  @Override
  public void close() {
    orders.close();
  }
}
