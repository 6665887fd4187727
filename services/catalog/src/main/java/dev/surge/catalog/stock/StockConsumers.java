package dev.surge.catalog.stock;

import dev.surge.pg.PostgresComponent;
import dev.surge.EventBusApi;
import dev.surge.ServiceContext;
import dev.surge.catalog.products.Product;
import dev.surge.catalog.api.StockApi;
import dev.surge.catalog.api.StockApi.Failure;
import dev.surge.redis.ReadThroughCache;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The catalog's stock API on the event bus ({@link StockApi}): reserve and release. A change of stock
 * invalidates the product's cache entry, so {@code GET /products/{id}} lags by the cache TTL at most.
 */
public final class StockConsumers implements EventBusApi {

  private static final Logger LOG = LoggerFactory.getLogger(StockConsumers.class);
  public static final int MAX_QUANTITY = 1_000_000;

  private final StockRepository stock;
  private final ReservationBatcher reservations;
  private final ReadThroughCache<Product> cache;

  public StockConsumers(ServiceContext context) {
    this.stock = new StockRepository(PostgresComponent.pool(context));
    this.cache = Product.cache(context);
    this.reservations = new ReservationBatcher(PostgresComponent.pool(context), stock, this::invalidate);
  }

  @Override
  public Map<String, Handler<Message<Object>>> handlers() {
    return Map.of(StockApi.RESERVE, this::reserve, StockApi.RELEASE, this::release);
  }

  private void reserve(Message<Object> message) {
    JsonObject body = body(message);
    Long productId = body == null ? null : positive(body.getValue("productId"), Long.MAX_VALUE);
    Long quantity = body == null ? null : positive(body.getValue("quantity"), MAX_QUANTITY);
    String reservationId = body == null ? null : reservationId(body.getValue("reservationId"));
    if (productId == null || quantity == null || reservationId == null) {
      StockApi.fail(message, Failure.INVALID, "expected {productId: a positive integer, quantity: 1 to "
        + MAX_QUANTITY + ", reservationId: 1 to " + StockApi.MAX_RESERVATION_ID_LENGTH + " characters}", null);
      return;
    }
    reservations.reserve(reservationId, productId, quantity.intValue()).onSuccess(outcome -> {
      if (outcome.rejection() != null) {
        StockApi.fail(message, outcome.rejection().failure(), outcome.rejection().detail(),
          outcome.rejection().remaining());
        return;
      }
      message.reply(new JsonObject().put("reservationId", reservationId).put("productId", productId)
        .put("quantity", quantity).put("remaining", outcome.remaining()));
    }).onFailure(err -> failed(message, "reserve", err));
  }

  private void release(Message<Object> message) {
    JsonObject body = body(message);
    Long productId = body == null ? null : positive(body.getValue("productId"), Long.MAX_VALUE);
    String reservationId = body == null ? null : reservationId(body.getValue("reservationId"));
    if (productId == null || reservationId == null) {
      StockApi.fail(message, Failure.INVALID, "expected {reservationId, productId}", null);
      return;
    }
    stock.release(reservationId, productId).onSuccess(restocked -> {
      JsonObject reply = new JsonObject().put("reservationId", reservationId).put("released", restocked != null);
      (restocked != null ? invalidate(restocked) : Future.<Void>succeededFuture()).onComplete(v -> message.reply(reply));
    }).onFailure(err -> failed(message, "release", err));
  }

  /**
   * Awaited before the reply, so whoever changed the stock reads it back changed; a Redis that does not answer
   * (the cache's breaker and timeout bound the wait) leaves the entry to expire with its TTL.
   */
  private Future<Void> invalidate(long productId) {
    return cache.invalidate(String.valueOf(productId)).recover(err -> {
      LOG.debug("Invalidating product {} failed; its entry expires with the TTL", productId);
      return Future.succeededFuture();
    });
  }

  /** PostgreSQL failing: the caller sees a failure it cannot take for a rejection, and may retry. */
  private static void failed(Message<Object> message, String what, Throwable err) {
    LOG.warn("Stock {} failed: {}", what, err.getMessage());
    message.fail(503, "stock " + what + " failed: the catalog's database is unavailable");
  }

  private static JsonObject body(Message<Object> message) {
    return message.body() instanceof JsonObject json ? json : null;
  }

  private static Long positive(Object value, long max) {
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      return n >= 1 && n <= max ? n : null;
    }
    return null;
  }

  private static String reservationId(Object value) {
    return value instanceof String s && !s.isEmpty() && s.length() <= StockApi.MAX_RESERVATION_ID_LENGTH ? s : null;
  }
}
