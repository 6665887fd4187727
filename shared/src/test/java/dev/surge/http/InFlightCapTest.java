package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** One instance takes two requests at once and holds one more; a fourth is turned away at once. */
class InFlightCapTest {

  @Test
  void beyondTheCapAndTheQueueRequestsGet503WithRetryAfterAtOnce() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 1,
      "http.maxInFlight", 2, "http.maxQueued", 1, "http.retryAfter", "2s"))) {
      List<Integer> completionOrder = new CopyOnWriteArrayList<>();
      List<Future<HttpResponse<Buffer>>> slow = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        slow.add(service.client().get("/slow?ms=1500").send()
          .onSuccess(r -> completionOrder.add(r.statusCode())));
        awaitInFlightOrQueued(service, i + 1);
      }
      HttpResponse<Buffer> shed = service.get("/echo/1");
      completionOrder.add(shed.statusCode());

      assertProblem(shed, 503, "overloaded");
      assertThat(shed.getHeader("Retry-After")).isEqualTo("2");
      assertThat(service.get("/health/live").statusCode()).as("probes are never shed").isEqualTo(200);
      for (Future<HttpResponse<Buffer>> f : slow) {
        assertThat(TestService.await(f).statusCode()).isEqualTo(200);
      }
      assertThat(completionOrder).as("the shed request was answered before any slow one").startsWith(503);
      assertThat(service.get("/metrics").bodyAsString()).containsPattern("surge_http_shed_total\\{[^}]*} 1\\.0");
    }
  }

  @Test
  void aQueuedRequestKeepsItsBody() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 1,
      "http.maxInFlight", 1, "http.maxQueued", 5))) {
      Future<HttpResponse<Buffer>> slow = service.client().get("/slow?ms=500").send();
      awaitInFlightOrQueued(service, 1);
      HttpResponse<Buffer> queued = service.postJson("/echo", new JsonObject().put("name", "waited"));
      assertThat(queued.statusCode()).isEqualTo(201);
      assertThat(queued.bodyAsJsonObject().getString("name")).isEqualTo("waited");
      assertThat(TestService.await(slow).statusCode()).isEqualTo(200);
    }
  }

  /** Waits, through the metrics, until the service has taken {@code n} requests in hand. */
  private static void awaitInFlightOrQueued(TestService service, int n) {
    for (int i = 0; i < 200; i++) {
      String metrics = service.get("/metrics").bodyAsString();
      if (gauge(metrics, "surge_http_inflight") + gauge(metrics, "surge_http_queued") >= n) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the service never had " + n + " requests in hand");
  }

  private static double gauge(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + "{")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
      .sum();
  }
}
