package dev.surge.standalone.tracing;

import dev.surge.gateway.GatewayMain;
import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import dev.surge.testing.TracedSpans;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's {@code traceparent} saying "keep this trace" does not make the gateway keep it, whether it links the
 * client's trace (its default) or continues it ({@code decide}): the gateway decides at its own sampling ratio (here
 * none), and the service behind it, which follows its callers, follows the gateway's decision. Otherwise any client could have every request it sends traced, at a third to a half of the throughput
 * (docs/BENCHMARKS.md), and crowd the others' spans out of the export queue.
 */
class AClientCannotHaveItsRequestsTracedAtWillTest {

  private static final String TRACE = "7d5a0c1f2e3b4a5968778695a4b3c2d1";
  private static final io.opentelemetry.api.common.AttributeKey<String> REQUEST_ID =
    io.opentelemetry.api.common.AttributeKey.stringKey("surge.request.id");

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  private static TestService service;
  private static TestService linking;
  private static TestService deciding;

  @BeforeAll
  static void start() {
    service = TestService.start(EchoService.definition(), TracedSpans.TRACED);
    linking = TestService.start(GatewayMain.definition(), front("link"));
    deciding = TestService.start(GatewayMain.definition(), front("decide"));
  }

  private static Map<String, Object> front(String callerTraces) {
    Map<String, Object> front = new HashMap<>(TracedSpans.TRACED);
    front.put("tracing.samplingRatio", 0.0);
    front.put("tracing.callerTraces", callerTraces);
    front.put("gateway.upstreams.catalog", "127.0.0.1:" + service.port());
    return front;
  }

  @AfterAll
  static void stop() {
    deciding.close();
    linking.close();
    service.close();
  }

  @Test
  void aSampledTraceparentFromAClientKeepsNoSpanAnywhereThroughAGatewayThatLinksIt() {
    assertKeptNowhere(linking, "through-linking");
  }

  @Test
  void aSampledTraceparentFromAClientKeepsNoSpanAnywhereThroughAGatewayThatContinuesIt() {
    assertKeptNowhere(deciding, "through-deciding");
  }

  private static void assertKeptNowhere(TestService gateway, String requestId) {
    var answer = gateway.send(HttpMethod.GET, "/api/catalog/echo/1", MultiMap.caseInsensitiveMultiMap()
      .add("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01").add("X-Request-Id", requestId), (String) null);
    assertThat(answer.statusCode()).isEqualTo(200);
    var own = service.client().get("/echo/2").putHeader("X-Request-Id", requestId + "-own").send()
      .toCompletionStage().toCompletableFuture().join();
    assertThat(own.statusCode()).isEqualTo(200);
    spans.await("for a request the service traced itself", s -> (requestId + "-own").equals(
      s.getAttributes().get(REQUEST_ID)));
    assertThat(spans.all()).as(TracedSpans.describe(spans.all()))
      .noneMatch(s -> requestId.equals(s.getAttributes().get(REQUEST_ID)) || s.getTraceId().equals(TRACE));
  }
}
