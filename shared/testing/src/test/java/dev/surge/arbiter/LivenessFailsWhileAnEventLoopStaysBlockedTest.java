package dev.surge.arbiter;

import dev.surge.testing.EchoService;
import dev.surge.testing.Probes;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health/live}, the probe an orchestrator restarts the process on: DOWN (503) from the other event loops
 * while one loop has been stuck for {@code watchdog.failAfter}, UP again once that loop returns.
 */
class LivenessFailsWhileAnEventLoopStaysBlockedTest {

  @Test
  void aLoopStuckPastFailAfterTurnsLivenessDownUntilItReturns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Probes probes = new Probes();
         TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 3,
           "vertx.eventLoops", 4, "vertx.maxEventLoopExecuteTime", "200ms", "watchdog.failAfter", "1s"))) {
      HttpResponse<Buffer> live = service.get("/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("UP");

      ((VertxInternal) service.running().vertx()).createEventLoopContext().runOnContext(v -> {
        try {
          release.await(); // holding an event loop on purpose, until the test lets it go
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });

      HttpResponse<Buffer> down = probes.until(service.port(), "/health/live", r -> r.statusCode() == 503);
      assertThat(down.getHeader("Content-Type")).startsWith("application/json");
      JsonObject body = down.bodyAsJsonObject();
      assertThat(body.getString("status")).isEqualTo("DOWN");
      JsonObject check = body.getJsonArray("checks").getJsonObject(0);
      assertThat(check.getString("id")).isEqualTo("event-loops");
      assertThat(check.getJsonObject("data").getString("reason")).contains("watchdog.failAfter");
      assertThat(check.getJsonObject("data").getJsonArray("blocked").getJsonObject(0).getString("thread"))
        .startsWith("vert.x-eventloop-thread-");

      release.countDown();
      HttpResponse<Buffer> back = probes.until(service.port(), "/health/live", r -> r.statusCode() == 200);
      assertThat(back.bodyAsJsonObject().getString("status")).as("the loop returned: live again").isEqualTo("UP");
    } finally {
      release.countDown();
    }
  }
}
