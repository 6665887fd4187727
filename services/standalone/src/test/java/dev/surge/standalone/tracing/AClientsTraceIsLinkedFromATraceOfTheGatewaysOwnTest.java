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
 * By default the gateway continues no client's trace: a request that comes with a {@code traceparent} starts a
 * trace of the gateway's own, kept at the gateway's ratio, whose server span links to the client's span, and the
 * service behind it goes on in the gateway's trace. So no client chooses the trace id its requests (and the orders
 * and jobs they make) go in, or puts spans in a trace it read off another customer's order; a client that sent a
 * trace still finds its request through the link.
 */
class AClientsTraceIsLinkedFromATraceOfTheGatewaysOwnTest {

  private static final String TRACE = "5e1f7a3b9c2d4e6f8a0b1c2d3e4f5a6b";
  private static final String CLIENT_SPAN = "0a1b2c3d4e5f6a7b";
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("surge.request.id");
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  private static EchoBehindAGateway platform;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    platform = EchoBehindAGateway.traced(Map.of());
    gateway = platform.gateway;
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void aClientsTraceparentIsLinkedNotContinued() {
    var answer = gateway.send(HttpMethod.GET, "/api/catalog/echo/1", MultiMap.caseInsensitiveMultiMap()
      .add("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01").add("X-Request-Id", "linked-1"), (String) null);
    assertThat(answer.statusCode()).isEqualTo(200);

    SpanData front = spans.await("for the gateway's server span", s -> s.getKind() == SpanKind.SERVER
      && "gateway".equals(s.getResource().getAttribute(SERVICE)) && "linked-1".equals(s.getAttributes().get(REQUEST_ID)));
    assertThat(front.getTraceId()).as("a trace of the gateway's").isNotEqualTo(TRACE);
    assertThat(front.getParentSpanContext().isValid()).as("the root of its trace").isFalse();
    assertThat(front.getLinks()).as("linked to the client's span").singleElement().satisfies(link -> {
      assertThat(link.getSpanContext().getTraceId()).isEqualTo(TRACE);
      assertThat(link.getSpanContext().getSpanId()).isEqualTo(CLIENT_SPAN);
    });
    SpanData behind = spans.await("for the service's server span", s -> s.getKind() == SpanKind.SERVER
      && "echo".equals(s.getResource().getAttribute(SERVICE)) && s.getTraceId().equals(front.getTraceId()));
    assertThat(behind.getParentSpanContext().isValid()).isTrue();
    assertThat(spans.trace(TRACE)).as("no span in the client's trace" + TracedSpans.describe(spans.trace(TRACE)))
      .isEmpty();
  }

  @Test
  void aRequestWithoutATraceparentIsLinkedToNothing() {
    var answer = gateway.send(HttpMethod.GET, "/api/catalog/echo/2", MultiMap.caseInsensitiveMultiMap()
      .add("X-Request-Id", "unlinked-2"), (String) null);
    assertThat(answer.statusCode()).isEqualTo(200);
    SpanData front = spans.await("for the gateway's server span", s -> s.getKind() == SpanKind.SERVER
      && "unlinked-2".equals(s.getAttributes().get(REQUEST_ID)) && "gateway".equals(s.getResource().getAttribute(SERVICE)));
    assertThat(front.getLinks()).isEmpty();
  }
}
