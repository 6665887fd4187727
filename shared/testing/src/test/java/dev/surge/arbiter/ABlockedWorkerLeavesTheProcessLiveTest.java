package dev.surge.arbiter;

import dev.surge.testing.EchoService;
import dev.surge.testing.Probes;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker thread stuck past {@code watchdog.failAfter} (a slow job, a hung call) takes the process out of
 * rotation, but does not get it restarted: its event loops still serve, so {@code /health/live} stays UP.
 */
class ABlockedWorkerLeavesTheProcessLiveTest {

  @Test
  void aWorkerStuckPastFailAfterFailsReadinessButNotLiveness() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Probes probes = new Probes();
         TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 2,
           "worker.maxExecuteTime", "200ms", "watchdog.failAfter", "1s"))) {
      service.running().vertx().executeBlocking(() -> {
        release.await(); // holding a worker thread on purpose, until the test lets it go
        return null;
      });

      probes.until(service.port(), "/health/ready",
        r -> r.statusCode() == 503 && r.bodyAsString().contains("vert.x-worker-thread-"));
      assertThat(service.get("/health/live").statusCode()).isEqualTo(200);
      release.countDown();
    } finally {
      release.countDown();
    }
  }
}
