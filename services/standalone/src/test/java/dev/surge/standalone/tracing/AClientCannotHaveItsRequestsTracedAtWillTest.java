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
 * A client's {@code traceparent} saying "keep this trace" does not make the gateway keep it: the gateway decides at
 * its own sampling ratio (here none), and the service behind it, which follows its callers, follows the gateway's
 * decision. Otherwise any client could have every request it sends traced, at a third to a half of the throughput
 * (docs/BENCHMARKS.md), and crowd the others' spans out of the export queue.
 */
class AClientCannotHaveItsRequestsTracedAtWillTest {

  private static final String TRACE = "7d5a0c1f2e3b4a5968778695a4b3c2d1";

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  private static TestService service;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    service = TestService.start(EchoService.definition(), TracedSpans.TRACED);
    Map<String, Object> front = new HashMap<>(TracedSpans.TRACED);
    front.put("tracing.samplingRatio", 0.0);
    front.put("gateway.upstreams.catalog", "127.0.0.1:" + service.port());
    gateway = TestService.start(GatewayMain.definition(), front);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    service.close();
  }

  @Test
  void aSampledTraceparentFromAClientKeepsNoSpanAnywhere() throws InterruptedException {
    var answer = gateway.send(HttpMethod.GET, "/api/catalog/echo/1", MultiMap.caseInsensitiveMultiMap()
      .add("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01"), (String) null);
    assertThat(answer.statusCode()).isEqualTo(200);
    var own = service.client().get("/echo/2").putHeader("X-Request-Id", "traced-by-the-service").send()
      .toCompletionStage().toCompletableFuture().join();
    assertThat(own.statusCode()).isEqualTo(200);
    spans.await("for a request the service traced itself", s -> "traced-by-the-service".equals(
      s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("surge.request.id"))));
    assertThat(spans.trace(TRACE)).as(TracedSpans.describe(spans.trace(TRACE))).isEmpty();
  }
}
