package dev.surge.orders.fulfilment;

import dev.surge.pg.PostgresComponent;
import dev.surge.ServiceContext;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobHandler;
import dev.surge.orders.orders.OrderJobs;
import dev.surge.orders.orders.OrderEvents;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * {@code order.notify}, enqueued with each change of an order's state in its transaction ({@link OrderEvents}):
 * posts the order's changes not yet delivered, up to and including its own, one at a time and first first, to
 * {@code orders.webhookUrl}, and marks each delivered once the webhook answered 2xx. A failure or a non-2xx answer
 * fails the attempt, retried with backoff, and no later change of that order goes out before it.
 *
 * <p>At least once: a change may be posted again (an attempt cut off after the webhook answered, or two of the
 * order's jobs running at once, each posting the first undelivered change), always with the same {@code eventId},
 * by which the receiver drops what it has seen; its {@code sequence} (1, 2, ... per order) says the order.
 */
public final class NotifyWebhook implements JobHandler {

  public static final String TYPE = OrderJobs.NOTIFY;
  static final long WEBHOOK_TIMEOUT_MS = 10_000;

  private final OrderEvents events;
  private final String webhookUrl;
  private final HttpClient client;

  public NotifyWebhook(ServiceContext context, FulfilmentOptions options) {
    this.events = new OrderEvents(PostgresComponent.pool(context));
    this.webhookUrl = options.webhookUrl();
    this.client = webhookUrl == null ? null
      // Untraced: the webhook is outside the platform (no traceparent to it; its URL in no span).
      : context.vertx().createHttpClient(new HttpClientOptions().setConnectTimeout((int) WEBHOOK_TIMEOUT_MS)
        .setTracingPolicy(TracingPolicy.IGNORE));
  }

  @Override
  public Future<JsonObject> run(JobContext job) {
    if (client == null) { // recorded while a webhook was set, and the service restarted without one
      return Future.succeededFuture(new JsonObject().put("skipped", "no orders.webhookUrl"));
    }
    UUID orderId = UUID.fromString(job.args().getString("orderId"));
    return events.undelivered(orderId, job.args().getInteger("seq"))
      .compose(undelivered -> deliver(job, undelivered, 0))
      .map(delivered -> new JsonObject().put("delivered", delivered));
  }

  private Future<Integer> deliver(JobContext job, List<OrderEvents.Event> undelivered, int next) {
    if (next == undelivered.size()) {
      return Future.succeededFuture(next);
    }
    OrderEvents.Event event = undelivered.get(next);
    return job.guard(post(event.toJson())).compose(status -> events.delivered(event.eventId()))
      .compose(v -> deliver(job, undelivered, next + 1));
  }

  private Future<Integer> post(JsonObject event) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(webhookUrl)
        .setIdleTimeout(WEBHOOK_TIMEOUT_MS).putHeader("Content-Type", "application/json"))
      .compose(request -> request.send(event.toBuffer()))
      .compose(response -> response.body().compose(body -> response.statusCode() / 100 == 2
        ? Future.succeededFuture(response.statusCode())
        : Future.failedFuture("the webhook answered " + response.statusCode())));
  }
}
