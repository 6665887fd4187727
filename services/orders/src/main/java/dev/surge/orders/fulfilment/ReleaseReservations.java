package dev.surge.orders.fulfilment;

import dev.surge.ServiceContext;
import dev.surge.catalog.api.StockApi;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobHandler;
import dev.surge.orders.orders.OrderJobs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code order.release}: gives an order's reservations back through {@code catalog.stock.release}, enqueued in
 * the transaction that decided it (a cancel, a rejected or abandoned request, the sweeper), so it happens even if
 * the catalog is down then. Releasing is idempotent on the catalog's side, so a retried attempt gives nothing
 * back twice.
 */
public final class ReleaseReservations implements JobHandler {

  public static final String TYPE = OrderJobs.RELEASE;

  private final Vertx vertx;
  private final DeliveryOptions delivery;

  public ReleaseReservations(ServiceContext context, FulfilmentOptions options) {
    this.vertx = context.vertx();
    this.delivery = new DeliveryOptions().setSendTimeout(options.catalogTimeout().toMillis());
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
