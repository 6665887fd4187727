package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full database pool with a full wait queue fails fast as 503, not as a 500 or an unbounded wait; a statement
 * that waits past pg.connectionTimeout for a connection is a 503 too.
 */
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

  /** As PostgreSQL restarting looks to the pool: connections not coming back within pg.connectionTimeout. */
  @Test
  void aStatementWaitingLongerThanTheConnectionTimeoutGets503() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("pg.poolSize", 1,
      "pg.connectionTimeout", "300ms", "http.retryAfter", "2s"))) {
      Future<HttpResponse<Buffer>> holding = service.client().get("/db/sleep").send();
      MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(service.get("/metrics").bodyAsString(), "vertx_pool_in_use",
        "pool_name=\"surge-pg\""), "PostgreSQL connections in use", 1);

      HttpResponse<Buffer> query = service.get("/db/sleep");
      HttpResponse<Buffer> transaction = service.get("/db/sleep-in-transaction");

      for (HttpResponse<Buffer> timedOut : List.of(query, transaction)) {
        assertProblem(timedOut, 503, "dependency-unavailable");
        assertThat(timedOut.getHeader("Retry-After")).isEqualTo("2");
      }
      assertThat(TestService.await(holding).statusCode()).isEqualTo(200);
    }
  }
}
