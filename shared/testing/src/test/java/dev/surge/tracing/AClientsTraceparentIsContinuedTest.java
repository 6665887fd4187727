package dev.surge.tracing;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import dev.surge.testing.TracedSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that comes with a W3C {@code traceparent} is served in its caller's trace: the service's server span
 * has the caller's trace id and the caller's span as its parent; one without is the root of a new trace. Probes and
 * scrapes start none.
 */
class AClientsTraceparentIsContinuedTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00f067aa0ba902b7";

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  @RegisterExtension
  @Order(2)
  static final TestService service = TestService.perClass(EchoService.definition(), TracedSpans.TRACED);

  @Test
  void theServerSpanContinuesTheCallersTrace() {
    var answer = service.client().get("/echo/1").putHeader("traceparent", "00-" + TRACE + "-" + CALLER + "-01")
      .send().toCompletionStage().toCompletableFuture().join();
    assertThat(answer.statusCode()).isEqualTo(200);
    SpanData server = spans.await("for the request", s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(TRACE));
    assertThat(server.getParentSpanId()).isEqualTo(CALLER);
    assertThat(server.getName()).isEqualTo("GET /echo/:id");
  }

  @Test
  void aRequestWithoutOneStartsATrace() {
    assertThat(service.get("/echo/2").statusCode()).isEqualTo(200);
    SpanData server = spans.await("for the request", s -> s.getKind() == SpanKind.SERVER
      && !s.getTraceId().equals(TRACE) && String.valueOf(s.getAttributes()).contains("/echo/2"));
    assertThat(server.getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void probesAndScrapesStartNoTrace() {
    assertThat(service.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(service.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(service.get("/echo/after-the-probes").statusCode()).isEqualTo(200);
    spans.await("for the request after the probes", s -> String.valueOf(s.getAttributes()).contains("/echo/after-the-probes"));
    assertThat(spans.all()).as(TracedSpans.describe(spans.all()))
      .noneMatch(s -> String.valueOf(s.getAttributes()).contains("/health/") || s.getName().contains("/metrics"))
      .noneMatch(s -> String.valueOf(s.getAttributes()).contains("SELECT 1"));
  }
}
