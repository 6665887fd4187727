package dev.surge.gateway;

import dev.surge.testing.Problems;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A replica too slow is a 504 problem; a service failing again and again is cut off for a while with 503. */
class TimeoutsAndTheCircuitBreakerTest {

  @Test
  void aReplicaSilentPastTheTimeoutIsA504Problem() {
    try (Replicas replicas = new Replicas();
         TestService gateway = Gateways.inFrontOf(replicas.start("slow"), Map.of("gateway.timeout", "300ms"))) {
      var response = gateway.get("/api/catalog/who?ms=2000");
      var problem = Problems.assertProblem(response, 504, "gateway-timeout");
      assertThat(problem.getString("detail")).contains("catalog").contains("300 ms");
      assertThat(problem.getString("instance")).isEqualTo("/api/catalog/who");
      assertThat(gateway.get("/api/catalog/who").statusCode()).as("the next one is fine").isEqualTo(200);
    }
  }

  @Test
  void anApiCanHaveATimeoutOfItsOwn() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("slow"),
      Map.of("gateway.timeout", "5s", "gateway.timeouts", "catalog=200ms"))) {
      var problem = Problems.assertProblem(gateway.get("/api/catalog/who?ms=1500"), 504, "gateway-timeout");
      assertThat(problem.getString("detail")).contains("200 ms");
    }
  }

  @Test
  void failuresInARowOpenTheBreakerWhich503sUntilATrialRequestSucceeds() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("flaky"),
      Map.of("gateway.breakerFailures", 2, "gateway.breakerOpenFor", "1s"))) {
      // The breaker counts a failure once its answer has been written; on io_uring the kernel reports that write
      // a moment after the client has the answer, so the request sent next can still find the breaker closed: each
      // failure is sent once the gateway has recorded the one before (its request metric, taken in the same step as
      // the breaker's count), the failures are sent until one is refused, and no more than one may have slipped
      // through (under load two did, before this wait).
      List<Integer> failing = new ArrayList<>();
      HttpResponse<Buffer> response = null;
      while (failing.size() < 10 && (response == null || response.statusCode() != 503)) {
        response = gateway.get("/api/catalog/fail");
        failing.add(response.statusCode());
        long failed = failing.stream().filter(status -> status == 500).count();
        MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(gateway.get("/metrics").bodyAsString(),
          "surge_gateway_requests_seconds_count", "upstream=\"catalog\"", "status=\"5xx\""),
          "failed requests recorded", failed);
      }
      assertThat(failing).as("two failures open the breaker").startsWith(500, 500).hasSizeBetween(3, 4);
      Problems.assertProblem(response, 503, "upstream-unavailable");
      var open = gateway.get("/api/catalog/who");
      Problems.assertProblem(open, 503, "upstream-unavailable");
      assertThat(open.getHeader("Retry-After")).isEqualTo("1");

      Thread.sleep(1200);
      assertThat(gateway.get("/api/catalog/who").statusCode()).as("the trial request goes through").isEqualTo(200);
      // Its success is counted once its answer is written (as above): a request sent at once may still meet the
      // half-open breaker. Two answered in a row within 400 ms (well inside the 1 s a reopened breaker would stay
      // open, refusing everything) show it closed.
      List<Integer> after = new ArrayList<>();
      for (int i = 0; i < 8 && !(after.size() >= 2 && after.subList(after.size() - 2, after.size()).equals(List.of(200, 200))); i++) {
        after.add(gateway.get("/api/catalog/who").statusCode());
        Thread.sleep(50);
      }
      assertThat(after).as("and closes the breaker").endsWith(200, 200);
    }
  }
}
