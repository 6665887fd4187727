package dev.surge.orders.fulfilment;

import dev.surge.ServiceContext;
import dev.surge.catalog.api.StockApi;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobHandler;
import dev.surge.jobs.JobRequest;
import dev.surge.orders.OrdersMain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code order.release}: gives an order's reservations back through {@code catalog.stock.release}, enqueued in
 * the transaction that decided it (a cancel, a rejected or abandoned request, the sweeper), so it happens even if
 * the catalog is down then. Releasing is idempotent on the catalog's side, so a retried attempt gives nothing
 * back twice.
 */
public final class ReleaseReservations implements JobHandler {

  public static final String TYPE = "order.release";

  private final Vertx vertx;
  private final DeliveryOptions delivery;

  public ReleaseReservations(ServiceContext context) {
    this.vertx = context.vertx();
    this.delivery = new DeliveryOptions().setSendTimeout(context.config().get(OrdersMain.CATALOG_TIMEOUT).toMillis());
  }

  /** {@code lines}: each with {@code reservationId} and {@code productId}. */
  public static JobRequest request(UUID orderId, JsonArray lines) {
    JsonArray reservations = new JsonArray();
    lines.forEach(l -> {
      JsonObject line = (JsonObject) l;
      reservations.add(new JsonObject().put("reservationId", line.getString("reservationId"))
        .put("productId", line.getLong("productId")));
    });
    return new JobRequest(TYPE, new JsonObject().put("orderId", orderId.toString()).put("reservations", reservations))
      .setUniqueKey("release:" + orderId).setMaxAttempts(100).setQueue(OrdersMain.JOB_QUEUE);
  }

  @Override
  public Future<JsonObject> run(JobContext job) {
    List<Future<?>> releases = new ArrayList<>();
    for (Object r : job.args().getJsonArray("reservations")) {
      JsonObject reservation = (JsonObject) r;
      releases.add(vertx.eventBus().request(StockApi.RELEASE,
        StockApi.releaseRequest(reservation.getString("reservationId"), reservation.getLong("productId")), delivery));
    }
    return job.guard(Future.all(releases)).map(all -> new JsonObject().put("released", releases.size()));
  }
}
