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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

  /** Reservations answered only once the test lets them go ({@link #holdReservations()}). */
  private List<Runnable> held;

  /** @param ordersOverrides orders' configuration beside {@link Platform#FAST} */
  CatalogStandIn(Map<String, Object> ordersOverrides, long delayMs) {
    Map<String, Object> config = new HashMap<>(Platform.FAST);
    config.putAll(ordersOverrides);
    orders = TestService.start(OrdersMain.definition(), config);
    Vertx vertx = orders.running().vertx();
    MessageConsumer<JsonObject> reserve = vertx.eventBus().consumer(StockApi.RESERVE, message -> {
      asked.incrementAndGet();
      vertx.setTimer(Math.max(1, delayMs), id -> answerOrHold(() -> {
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
      }));
    });
    MessageConsumer<JsonObject> release = vertx.eventBus().consumer(StockApi.RELEASE, message -> {
      released.incrementAndGet();
      message.reply(new JsonObject().put("released", true));
    });
    await(reserve.completion());
    await(release.completion());
  }

  private void answerOrHold(Runnable answer) {
    synchronized (this) {
      if (held != null) {
        held.add(answer);
        return;
      }
    }
    answer.run();
  }

  /** From now on, reservations are answered only when {@link #answerHeldReservations()} lets them go. */
  synchronized void holdReservations() {
    held = new ArrayList<>();
  }

  /** Answers the reservations held back, and those to come at once. */
  void answerHeldReservations() {
    List<Runnable> answers;
    synchronized (this) {
      answers = held;
      held = null;
    }
    orders.running().vertx().runOnContext(v -> answers.forEach(Runnable::run));
  }

  /** The stock releases orders has scheduled (order.release jobs), run or not. */
  int releasesScheduled() throws java.sql.SQLException {
    try (var db = dev.surge.testing.SurgeTestEnvironment.jdbc(orders.pgUrl());
         var rows = db.createStatement().executeQuery("SELECT count(*) FROM surge_jobs WHERE type = 'order.release'")) {
      rows.next();
      return rows.getInt(1);
    }
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
