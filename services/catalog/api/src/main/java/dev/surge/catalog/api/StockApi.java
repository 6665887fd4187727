package dev.surge.catalog.api;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The catalog's stock API on the event bus, request-reply with JSON bodies: the contract between the catalog,
 * which owns stock, and the services that take it (orders). Both sides use these names, so neither spells an
 * address or a field by hand.
 *
 * <pre>
 *   catalog.stock.reserve  {productId, quantity, reservationId}
 *                          reply {reservationId, productId, quantity, remaining}, or a failure below
 *   catalog.stock.release  {reservationId, productId}
 *                          reply {reservationId, released: true when this call gave the stock back}
 * </pre>
 *
 * <p>Reserving is atomic (stock never goes below zero) and idempotent: the same reservation id again reserves
 * nothing more and answers as the first time. Releasing is idempotent too, and a release that comes before its
 * reservation (a reserve still in flight when its caller gave up) leaves a mark that makes the late reserve fail
 * with {@link Failure#RELEASED} instead of taking stock nobody will ever give back.
 */
public final class StockApi {

  public static final String RESERVE = "catalog.stock.reserve";
  public static final String RELEASE = "catalog.stock.release";
  public static final int MAX_RESERVATION_ID_LENGTH = 100;
  /**
   * A request header: which time the caller asks for this reservation, from 1. A caller that hears nothing asks
   * again with the same reservation id, in copies that go to different replicas; the catalog answers each the same.
   */
  public static final String ATTEMPT = "attempt";

  private StockApi() {
  }

  /** Why a reservation failed: the failure code of the reply, and a stable slug. */
  public enum Failure {
    INVALID(400, "invalid-request"),
    NOT_FOUND(404, "product-not-found"),
    SALE_NOT_OPEN(409, "sale-not-open"),
    INSUFFICIENT_STOCK(409, "insufficient-stock"),
    RELEASED(410, "reservation-released"),
    RESERVATION_MISMATCH(422, "reservation-mismatch");

    private final int code;
    private final String slug;

    Failure(int code, String slug) {
      this.code = code;
      this.slug = slug;
    }

    public int code() {
      return code;
    }

    public String slug() {
      return slug;
    }

    static Failure of(String slug) {
      for (Failure f : values()) {
        if (f.slug.equals(slug)) {
          return f;
        }
      }
      return null;
    }
  }

  /** A failed reservation as the reserving side sees it; {@code remaining} is set for insufficient stock. */
  public record Rejection(Failure failure, String detail, Integer remaining) {
  }

  public static JsonObject reserveRequest(long productId, int quantity, String reservationId) {
    return new JsonObject().put("productId", productId).put("quantity", quantity).put("reservationId", reservationId);
  }

  public static JsonObject releaseRequest(String reservationId, long productId) {
    return new JsonObject().put("reservationId", reservationId).put("productId", productId);
  }

  /** Answers a reserve or release with a failure the caller can read with {@link #rejection}. */
  public static void fail(Message<?> message, Failure failure, String detail, Integer remaining) {
    // The message's span (Vert.x's, current while its handler runs) ends as an error: Vert.x does not count a
    // recipient's failure as one, and a refused reservation is what a trace is read for.
    Span.current().setStatus(StatusCode.ERROR, failure.slug());
    JsonObject body = new JsonObject().put("failure", failure.slug()).put("detail", detail);
    if (remaining != null) {
      body.put("remaining", remaining);
    }
    message.fail(failure.code(), body.encode());
  }

  /**
   * The rejection a recipient failure carries, or null when the failure is not one (a timeout, no handler, a
   * crash in the handler).
   */
  public static Rejection rejection(Throwable error) {
    if (!(error instanceof ReplyException reply) || reply.getMessage() == null) {
      return null;
    }
    try {
      JsonObject body = new JsonObject(reply.getMessage());
      Failure failure = Failure.of(body.getString("failure", ""));
      return failure == null ? null : new Rejection(failure, body.getString("detail"), body.getInteger("remaining"));
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
