package dev.surge.orders.fulfilment;

import dev.surge.ServiceContext;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobHandler;
import dev.surge.jobs.JobRequest;
import dev.surge.orders.OrdersMain;
import dev.surge.orders.orders.OrderRepository;
import dev.surge.orders.placement.KeyedBatches;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * {@code order.fulfil}, enqueued with each order in its transaction: posts the order to {@code orders.webhookUrl}
 * when one is configured (a failure or a non-2xx answer fails the attempt, retried with backoff), then marks the
 * order confirmed. An order cancelled meanwhile is left alone.
 */
public final class FulfilOrder implements JobHandler {

  public static final String TYPE = "order.fulfil";
  static final long WEBHOOK_TIMEOUT_MS = 10_000;
  private static final String CONFIRMATIONS = "surge.orders.confirmations";

  private final OrderRepository orders;
  private final String webhookUrl;
  private final HttpClient client;

  public FulfilOrder(ServiceContext context) {
    this.orders = new OrderRepository(context.pg(), context.jobs());
    this.webhookUrl = context.config().get(OrdersMain.WEBHOOK_URL);
    this.client = webhookUrl == null ? null
      : context.vertx().createHttpClient(new HttpClientOptions().setConnectTimeout((int) WEBHOOK_TIMEOUT_MS));
  }

  public static JobRequest request(UUID orderId) {
    return new JobRequest(TYPE, new JsonObject().put("orderId", orderId.toString()))
      .setUniqueKey("fulfil:" + orderId).setMaxAttempts(25).setQueue(OrdersMain.JOB_QUEUE);
  }

  @Override
  public Future<JsonObject> run(JobContext job) {
    UUID id = UUID.fromString(job.args().getString("orderId"));
    if (client == null) { // nothing to post: confirmed with the others of this event loop, in one statement
      return confirmations().write(id).map(confirmed -> new JsonObject().put("confirmed", confirmed));
    }
    return orders.get(id).compose(order -> {
      if (order == null || !order.status().equals("pending")) {
        return Future.succeededFuture(new JsonObject().put("skipped", order == null ? "missing" : order.status()));
      }
      return job.guard(post(order.toJson())).compose(status -> orders.confirm(id)
        .map(confirmed -> new JsonObject().put("confirmed", confirmed).put("webhookStatus", status)));
    });
  }

  /** The batches of this event loop: the job runs on several, and a batch is touched on its own loop only. */
  private KeyedBatches<UUID> confirmations() {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    KeyedBatches<UUID> batches = context.get(CONFIRMATIONS);
    if (batches == null) {
      batches = new KeyedBatches<>(2, UUID::toString, orders::confirmAll);
      context.put(CONFIRMATIONS, batches);
    }
    return batches;
  }

  private Future<Integer> post(JsonObject order) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(webhookUrl)
        .setIdleTimeout(WEBHOOK_TIMEOUT_MS).putHeader("Content-Type", "application/json"))
      .compose(request -> request.send(order.toBuffer()))
      .compose(response -> response.body().compose(body -> response.statusCode() / 100 == 2
        ? Future.succeededFuture(response.statusCode())
        : Future.failedFuture("the webhook answered " + response.statusCode())));
  }
}
