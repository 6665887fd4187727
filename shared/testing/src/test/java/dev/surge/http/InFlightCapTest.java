package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
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

  @Test
  void aClientThatGivesUpWhileQueuedLeavesTheQueue() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 1,
      "http.maxInFlight", 1, "http.maxQueued", 1))) {
      Future<HttpResponse<Buffer>> slow = service.client().get("/slow?ms=4000").send();
      awaitInFlightOrQueued(service, 1);
      Future<HttpResponse<Buffer>> impatient = service.client().get("/echo/1").timeout(300).send();
      assertThat(impatient.toCompletionStage().toCompletableFuture().handle((r, err) -> err).join())
        .as("the client timed out").isNotNull();
      for (int i = 0; i < 50 && gauge(service.get("/metrics").bodyAsString(), "surge_http_queued") > 0; i++) {
        sleep(20);
      }
      assertThat(gauge(service.get("/metrics").bodyAsString(), "surge_http_queued")).isZero();
      assertThat(slow.isComplete()).as("the place was freed by the client leaving, not by the slot").isFalse();
      Future<HttpResponse<Buffer>> next = service.client().get("/echo/2").send();
      assertThat(TestService.await(slow).statusCode()).isEqualTo(200);
      assertThat(TestService.await(next).statusCode()).as("the freed place was usable").isEqualTo(200);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits, through the metrics, until the service has taken {@code n} requests in hand. */
  private static void awaitInFlightOrQueued(TestService service, int n) {
    MetricsScrape.awaitAtLeast(() -> {
      String scrape = service.get("/metrics").bodyAsString();
      return gauge(scrape, "surge_http_inflight") + gauge(scrape, "surge_http_queued");
    }, "requests in flight or queued", n);
  }

  private static double gauge(String scrape, String name) {
    return MetricsScrape.sum(scrape, name);
  }
}
