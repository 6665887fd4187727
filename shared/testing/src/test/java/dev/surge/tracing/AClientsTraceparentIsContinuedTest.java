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
 * scrapes start none, and what a query string or a raw path carries goes in no exported attribute.
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
    assertThat(get("/echo/2", "no-traceparent").statusCode()).isEqualTo(200);
    SpanData server = spans.await("for the request", s -> s.getKind() == SpanKind.SERVER && ofRequest(s, "no-traceparent"));
    assertThat(server.getTraceId()).isNotEqualTo(TRACE);
    assertThat(server.getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void probesAndScrapesStartNoTrace() {
    assertThat(service.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(service.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(get("/echo/3", "after-the-probes").statusCode()).isEqualTo(200);
    spans.await("for the request after the probes", s -> ofRequest(s, "after-the-probes"));
    assertThat(spans.all()).as(TracedSpans.describe(spans.all()))
      .noneMatch(s -> s.getName().contains("/health/") || s.getName().contains("/metrics"))
      .noneMatch(s -> String.valueOf(s.getAttributes()).contains("SELECT 1"));
  }

  @Test
  void whatAQueryStringOrARawPathCarriesIsNeverExported() {
    assertThat(get("/echo/secret-id-42?token=secret-token-42", "with-a-query").statusCode()).isEqualTo(200);
    SpanData server = spans.await("for the request", s -> ofRequest(s, "with-a-query"));
    assertThat(server.getName()).isEqualTo("GET /echo/:id");
    assertThat(String.valueOf(server.getAttributes())).doesNotContain("secret-token-42").doesNotContain("secret-id-42");
  }

  private static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> get(String path, String requestId) {
    return service.client().get(path).putHeader("X-Request-Id", requestId).send().toCompletionStage()
      .toCompletableFuture().join();
  }

  private static boolean ofRequest(SpanData span, String requestId) {
    return requestId.equals(span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("surge.request.id")));
  }
}
