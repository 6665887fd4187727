package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests of one instance wait for their deadlines together (LoopDeadlines on an event loop, Vert.x Web's timeout
 * handler on workers and virtual threads): each is answered 503 at its own deadline, not at another's, and one
 * behind a request answered in time is still timed out.
 */
class EachRequestTimesOutAtItsOwnDeadlineTest {

  private static final long TIMEOUT_MS = 1000;

  private static TestService start(String model) {
    // One instance: on the event loop, every request below waits in the same list.
    return TestService.start(EchoService.definition(), Map.of("http.requestTimeout", TIMEOUT_MS + "ms",
      "http.instances", 1, "http.threadingModel", model));
  }

  private static Future<HttpResponse<Buffer>> slow(TestService service, long ms) {
    return service.request(HttpMethod.GET, "/slow?ms=" + ms).send();
  }

  @ParameterizedTest
  @ValueSource(strings = {"event-loop", "worker"})
  void aRequestBehindOneAnsweredInTimeStillTimesOutAtItsDeadline(String model) throws InterruptedException {
    try (TestService service = start(model)) {
      Future<HttpResponse<Buffer>> answeredInTime = slow(service, 100);
      Thread.sleep(300);
      long sent = System.nanoTime();
      HttpResponse<Buffer> late = TestService.await(slow(service, 10_000));
      long waitedMs = (System.nanoTime() - sent) / 1_000_000;

      assertThat(TestService.await(answeredInTime).statusCode()).isEqualTo(200);
      assertProblem(late, 503, "request-timeout");
      assertThat(waitedMs).as("answered at its own deadline, not before").isGreaterThanOrEqualTo(TIMEOUT_MS);
    }
  }

  @Test
  void twoRequestsWaitingTogetherAreEachAnsweredNoSoonerThanTheirOwnDeadline() throws InterruptedException {
    try (TestService service = start("event-loop")) {
      long firstSent = System.nanoTime();
      Future<HttpResponse<Buffer>> first = slow(service, 10_000);
      Thread.sleep(300);
      long secondSent = System.nanoTime();
      Future<HttpResponse<Buffer>> second = slow(service, 10_000);
      Future<Long> firstAnswered = first.map(r -> System.nanoTime());
      Future<Long> secondAnswered = second.map(r -> System.nanoTime());

      assertProblem(TestService.await(first), 503, "request-timeout");
      assertProblem(TestService.await(second), 503, "request-timeout");
      assertThat((TestService.await(firstAnswered) - firstSent) / 1_000_000).isGreaterThanOrEqualTo(TIMEOUT_MS);
      assertThat((TestService.await(secondAnswered) - secondSent) / 1_000_000)
        .as("the second waited for its own deadline, not the first's").isGreaterThanOrEqualTo(TIMEOUT_MS);
    }
  }

  @Test
  void aRequestAnsweredBetweenTwoWaitingLeavesTheOtherTwoToTheirDeadlines() throws InterruptedException {
    try (TestService service = start("event-loop")) {
      Future<HttpResponse<Buffer>> first = slow(service, 10_000);
      Thread.sleep(100);
      Future<HttpResponse<Buffer>> answeredInTime = slow(service, 200);
      Thread.sleep(100);
      long lastSent = System.nanoTime();
      Future<HttpResponse<Buffer>> last = slow(service, 10_000);
      Future<Long> lastAnswered = last.map(r -> System.nanoTime());

      assertThat(TestService.await(answeredInTime).statusCode()).isEqualTo(200);
      assertProblem(TestService.await(first), 503, "request-timeout");
      assertProblem(TestService.await(last), 503, "request-timeout");
      assertThat((TestService.await(lastAnswered) - lastSent) / 1_000_000).isGreaterThanOrEqualTo(TIMEOUT_MS);
    }
  }
}
