package dev.surge.arbiter;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.Probes;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog: an event loop blocked past {@code vertx.maxEventLoopExecuteTime} is counted, readiness says
 * degraded and names it, its instance is replaced; blocked past {@code watchdog.failAfter}, readiness fails; once
 * the loop returns, readiness is UP again.
 */
class BlockedEventLoopIsDetectedTest {

  @Test
  void aBlockedLoopIsCountedReportedReplacedAndFailsReadinessPastTheSecondLimit() throws Exception {
    int adminPort = FreePorts.pick();
    try (Probes probes = new Probes();
         TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 3,
           "vertx.eventLoops", 4, "vertx.maxEventLoopExecuteTime", "200ms", "watchdog.failAfter", "2500ms",
           "admin.port", adminPort, "http.requestTimeout", "30s"));
         Admin admin = new Admin(adminPort)) {
      WebClient fresh = probes.client();
      Future<HttpResponse<Buffer>> blocking = fresh.get(service.port(), "127.0.0.1", "/block?ms=6000").send();

      HttpResponse<Buffer> degraded = probes.until(service.port(), "/health/ready",
        r -> r.statusCode() == 200 && r.bodyAsString().contains("\"degraded\":true"));
      assertThat(degraded.bodyAsString()).contains("vert.x-eventloop-thread-");
      HttpResponse<Buffer> down = probes.until(service.port(), "/health/ready", r -> r.statusCode() == 503);
      assertThat(down.bodyAsString()).contains("blocked-threads").contains("watchdog.failAfter");

      String metrics = await(fresh.get(service.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
      assertThat(MetricsScrape.sum(metrics, "surge_blocked_threads_total", "kind", "event-loop"))
        .as("one episode, counted once however long").isEqualTo(1.0);

      assertThat(await(blocking).bodyAsString()).as("the blocked request is still answered").isEqualTo("blocked 6000");
      probes.until(service.port(), "/health/ready",
        r -> r.statusCode() == 200 && !r.bodyAsString().contains("degraded"));
      // The replacement may land on the blocked loop too (Vert.x picks the loop), and then starts when it returns.
      MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(await(fresh.get(service.port(), "127.0.0.1", "/metrics")
        .send()).bodyAsString(), "surge_instance_blocked_replacements_total"), "the stuck instance replaced", 1);
      MetricsScrape.awaitAtLeast(() -> admin.instances().size() == 3 ? 1 : 0,
        "three instances again, the stuck one gone", 1);
      assertThat(admin.deployments("serving")).hasSize(3);
    }
  }
}
