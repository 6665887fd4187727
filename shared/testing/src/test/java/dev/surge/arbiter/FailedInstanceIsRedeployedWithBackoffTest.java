package dev.surge.arbiter;

import dev.surge.pg.PostgresComponent;
import dev.surge.redis.RedisComponent;
import dev.surge.ServiceDefinition;
import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Supervision: an instance that fails to start, or that a handler marks failed, is redeployed with backoff. */
class FailedInstanceIsRedeployedWithBackoffTest {

  @Test
  void anInstanceFailingToStartIsRetriedWithGrowingWaitsUntilItStarts() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    List<Long> attempts = new CopyOnWriteArrayList<>();
    // The first instance starts; the next three fail in start, the fifth start succeeds.
    ServiceDefinition flaky = ServiceDefinition.builder("flaky")
      .use(PostgresComponent.create()).use(RedisComponent.cache()).defaultPort(8098)
      .http(ctx -> {
        attempts.add(System.nanoTime());
        int n = starts.incrementAndGet();
        if (n >= 2 && n <= 4) {
          throw new IllegalStateException("start " + n + " fails on purpose");
        }
        return router -> router.get("/hello").handler(rc -> rc.response().end("hello"));
      })
      .build();
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(flaky, Map.of("http.instances", 1, "admin.port", adminPort,
           "supervisor.backoff", "200ms", "supervisor.maxBackoff", "10s"));
         Admin admin = new Admin(adminPort)) {
      admin.scale("http", 2);
      MetricsScrape.awaitAtLeast(() -> admin.deployments("serving").size(), "serving instances", 2);

      assertThat(starts.get()).isEqualTo(5);
      // Waits of 200, 400 and 800 ms between the failed starts and the next ones: at least those.
      assertThat(attempts.get(2) - attempts.get(1)).isGreaterThanOrEqualTo(200_000_000L);
      assertThat(attempts.get(3) - attempts.get(2)).isGreaterThanOrEqualTo(400_000_000L);
      assertThat(attempts.get(4) - attempts.get(3)).isGreaterThanOrEqualTo(800_000_000L);
      String metrics = Scrapes.metrics(service.port());
      assertThat(MetricsScrape.sum(metrics, "surge_instance_failures_total")).isEqualTo(3.0);
      assertThat(MetricsScrape.sum(metrics, "surge_supervisor_redeploys_total")).isEqualTo(3.0);
      assertThat(Scrapes.get(service.port(), "/hello").body()).isEqualTo("hello");
    }
  }

  @Test
  void anInstanceMarkedFailedByAHandlerIsReplacedAndItsRequestStillAnswered() throws Exception {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 1,
           "admin.port", adminPort, "supervisor.backoff", "50ms"));
         Admin admin = new Admin(adminPort)) {
      List<String> first = admin.deployments("serving");

      assertThat(Scrapes.get(service.port(), "/fail").body()).isEqualTo("failed");

      MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(Scrapes.metrics(service.port()),
        "surge_supervisor_redeploys_total"), "redeploys", 1);
      MetricsScrape.awaitAtLeast(() -> admin.instances().size() == 1 ? 1 : 0, "the failed instance gone", 1);
      List<String> now = admin.deployments("serving");
      assertThat(now).hasSize(1).doesNotContainAnyElementsOf(first);
      assertThat(Scrapes.get(service.port(), "/echo/7").statusCode()).isEqualTo(200);
      assertThat(MetricsScrape.sum(Scrapes.metrics(service.port()), "surge_instance_failures_total"))
        .isEqualTo(1.0);
    }
  }
}
