package dev.surge.orders.orders;

import dev.surge.jobs.JobRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * The orders' jobs, as they are enqueued with the changes that call for them (their handlers are in
 * {@code fulfilment}): an order's confirmation, the release of its reservations, the webhook's delivery.
 */
public final class OrderJobs {

  /**
   * The queue of the orders' jobs. Its own, not the shared "default": a node's claim walks every available job
   * of its queues, whatever their type, so a queue shared with another service's backlog costs both.
   */
  public static final String QUEUE = "orders";
  public static final String FULFIL = "order.fulfil";
  public static final String RELEASE = "order.release";
  public static final String NOTIFY = "order.notify";

  private OrderJobs() {
  }

  public static JobRequest fulfil(UUID orderId) {
    return new JobRequest(FULFIL, new JsonObject().put("orderId", orderId.toString()))
      .setUniqueKey("fulfil:" + orderId).setMaxAttempts(25).setQueue(QUEUE);
  }

  /** {@code lines}: each with {@code reservationId} and {@code productId}. */
  public static JobRequest release(UUID orderId, JsonArray lines) {
    JsonArray reservations = new JsonArray();
    lines.forEach(l -> {
      JsonObject line = (JsonObject) l;
      reservations.add(new JsonObject().put("reservationId", line.getString("reservationId"))
        .put("productId", line.getLong("productId")));
    });
    return new JobRequest(RELEASE, new JsonObject().put("orderId", orderId.toString()).put("reservations", reservations))
      .setUniqueKey("release:" + orderId).setMaxAttempts(100).setQueue(QUEUE);
  }

  public static JobRequest notify(UUID orderId, int seq) {
    return new JobRequest(NOTIFY, new JsonObject().put("orderId", orderId.toString()).put("seq", seq))
      .setMaxAttempts(25).setQueue(QUEUE);
  }
}
