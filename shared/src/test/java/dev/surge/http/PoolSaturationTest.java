package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A full database pool with a full wait queue fails fast as 503, not as a 500 or an unbounded wait. */
class PoolSaturationTest {

  @Test
  void aStatementBeyondThePoolAndItsWaitQueueGets503() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("pg.poolSize", 1,
      "pg.maxWaitQueue", 0, "http.retryAfter", "2s"))) {
      Future<HttpResponse<Buffer>> holding = service.client().get("/db/sleep").send();
      MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(service.get("/metrics").bodyAsString(), "vertx_pool_in_use",
        "pool_name=\"surge-pg\""), "PostgreSQL connections in use", 1);

      HttpResponse<Buffer> turnedAway = service.get("/db/sleep");

      assertProblem(turnedAway, 503, "dependency-unavailable");
      assertThat(turnedAway.getHeader("Retry-After")).isEqualTo("2");
      assertThat(TestService.await(holding).statusCode()).isEqualTo(200);
    }
  }
}
