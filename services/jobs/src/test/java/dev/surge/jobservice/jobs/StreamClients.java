package dev.surge.jobservice.jobs;

import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.HashMap;
import java.util.Map;

import static dev.surge.testing.TestService.await;

/**
 * Clients of the event streams from a chosen loopback address (a "client" to the caps), and the stream metrics.
 * Registered as an extension after the service's, they close before it.
 */
final class StreamClients implements AutoCloseable, AfterAllCallback {

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, HttpClient> clients = new HashMap<>();
  private final TestService service;

  StreamClients(TestService service) {
    this.service = service;
  }

  /** An open stream (or a refusal): its response, and its whole body once it ends. */
  record Open(HttpClientResponse response, Future<Buffer> body) {
    void close() {
      response.request().connection().close();
    }
  }

  /** Asks for {@code /jobs/{id}/events} from {@code localAddress}, such as 127.0.0.2; returns once headers are in. */
  Open open(String localAddress, long id) {
    return open(localAddress, id, null);
  }

  /** The same, as a proxy would send it for the client {@code forwardedFor} (X-Forwarded-For), when not null. */
  Open open(String localAddress, long id, String forwardedFor) {
    HttpClient client = clients.computeIfAbsent(localAddress, a -> vertx.createHttpClient(
      new HttpClientOptions().setLocalAddress(a), new PoolOptions().setHttp1MaxSize(20)));
    return await(client.request(HttpMethod.GET, service.port(), "127.0.0.1", "/jobs/" + id + "/events")
      .compose(request -> (forwardedFor == null ? request : request.putHeader("X-Forwarded-For", forwardedFor))
        .putHeader("Accept", "text/event-stream").send())
      .map(response -> new Open(response, response.body())));
  }

  /** A job that will not run for years: a stream on it would never end by itself. */
  long scheduledJob() {
    return JobsApi.enqueue(service, new JsonObject().put("type", "noop").put("runAt", "2100-01-01T00:00:00Z"))
      .getLong("id");
  }

  double metric(String name) {
    return MetricsScrape.sum(service.get("/metrics").bodyAsString(), name);
  }

  /** Waits, for up to ten seconds, until the metric reads {@code value}. */
  void awaitMetric(String name, double value) {
    for (int i = 0; i < 500; i++) {
      if (metric(name) == value) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(name + " never read " + value + "; it reads " + metric(name));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
