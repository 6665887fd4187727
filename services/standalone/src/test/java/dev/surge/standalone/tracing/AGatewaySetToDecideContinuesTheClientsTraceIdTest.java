package dev.surge.standalone.tracing;

import dev.surge.testing.TestService;
import dev.surge.testing.TracedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code tracing.callerTraces=decide} (clients the operator trusts, a front end of its own that traces) the
 * gateway continues a client's trace: its server span is in the client's trace, a child of the client's span, and
 * the service behind it too. Whether it is kept is still the gateway's decision, whatever the client's flag says
 * (AClientCannotHaveItsRequestsTracedAtWillTest, at a ratio of none): here every trace is kept, one the client
 * sent as not kept too.
 */
class AGatewaySetToDecideContinuesTheClientsTraceIdTest {

  private static final String TRACE = "6f2a8b4c0d3e5f7a9b1c2d3e4f5a6b7c";
  private static final String CLIENT_SPAN = "1b2c3d4e5f6a7b8c";
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  private static EchoBehindAGateway platform;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    platform = EchoBehindAGateway.traced(Map.of("tracing.callerTraces", "decide"));
    gateway = platform.gateway;
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void theGatewaysServerSpanIsAChildOfTheClientsSpan() {
    var answer = gateway.send(HttpMethod.GET, "/api/catalog/echo/1", MultiMap.caseInsensitiveMultiMap()
      .add("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01"), (String) null);
    assertThat(answer.statusCode()).isEqualTo(200);

    SpanData front = spans.await("for the gateway's server span in the client's trace", s -> s.getKind() == SpanKind.SERVER
      && "gateway".equals(s.getResource().getAttribute(SERVICE)) && s.getTraceId().equals(TRACE));
    assertThat(front.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(front.getLinks()).isEmpty();
    spans.await("for the service's server span in the client's trace", s -> s.getKind() == SpanKind.SERVER
      && "echo".equals(s.getResource().getAttribute(SERVICE)) && s.getTraceId().equals(TRACE));
  }

  @Test
  void aTraceTheClientSaysIsNotKeptIsKeptWhenTheGatewayKeepsIt() {
    String trace = "6f2a8b4c0d3e5f7a9b1c2d3e4f5a6b7d";
    var answer = gateway.send(HttpMethod.GET, "/api/catalog/echo/2", MultiMap.caseInsensitiveMultiMap()
      .add("traceparent", "00-" + trace + "-" + CLIENT_SPAN + "-00"), (String) null);
    assertThat(answer.statusCode()).isEqualTo(200);

    spans.await("for the gateway's server span in the client's trace", s -> s.getKind() == SpanKind.SERVER
      && "gateway".equals(s.getResource().getAttribute(SERVICE)) && s.getTraceId().equals(trace));
    spans.await("for the service's server span in the client's trace", s -> s.getKind() == SpanKind.SERVER
      && "echo".equals(s.getResource().getAttribute(SERVICE)) && s.getTraceId().equals(trace));
  }
}
