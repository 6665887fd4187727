package dev.surge.orders.fulfilment;

import dev.surge.ServiceContext;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobHandler;
import dev.surge.orders.orders.KeyedBatches;
import dev.surge.orders.orders.OrderJobs;
import dev.surge.orders.orders.OrderRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * {@code order.fulfil}, enqueued with each order in its transaction: marks the order confirmed, with the others of
 * this event loop in one statement. An order cancelled meanwhile is left alone. With {@code orders.webhookUrl} set,
 * the confirmation's event is recorded in the same transaction and posted by {@link NotifyWebhook} after the
 * order's earlier changes; the confirmation does not wait for the webhook, so what the webhook hears is what
 * happened, in the order it happened.
 */
public final class FulfilOrder implements JobHandler {

  public static final String TYPE = OrderJobs.FULFIL;
  private static final String CONFIRMATIONS = "surge.orders.confirmations";

  private final OrderRepository orders;

  public FulfilOrder(ServiceContext context, FulfilmentOptions options) {
    this.orders = new OrderRepository(context, options.webhookUrl() != null);
  }

  @Override
  public Future<JsonObject> run(JobContext job) {
    UUID id = UUID.fromString(job.args().getString("orderId"));
    return confirmations().write(id).map(confirmed -> new JsonObject().put("confirmed", confirmed));
  }

  /** The batches of this event loop: the job runs on several, and a batch is touched on its own loop only. */
  private KeyedBatches<UUID> confirmations() {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    KeyedBatches<UUID> batches = context.get(CONFIRMATIONS);
    if (batches == null) {
      batches = new KeyedBatches<>(2, UUID::toString, batch -> orders.confirmAll(batch.take()));
      context.put(CONFIRMATIONS, batches);
    }
    return batches;
  }
}
