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
 * A gateway that traces nothing still takes a client's {@code traceparent} off the request it forwards: the
 * service behind it, which follows its callers, would otherwise serve the request in a trace the client chose and
 * keep it because the client said so. It starts a trace of its own.
 */
class AnUntracedGatewayPassesNoClientsTraceOnTest {

  private static final String TRACE = "7a3b9c5d1e4f6a8b0c2d3e4f5a6b7c8d";
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("surge.request.id");

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  private static EchoBehindAGateway platform;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    platform = EchoBehindAGateway.start(Map.of());
    gateway = platform.gateway;
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void theServiceBehindStartsATraceOfItsOwn() {
    var answer = gateway.send(HttpMethod.GET, "/api/catalog/echo/1", MultiMap.caseInsensitiveMultiMap()
      .add("traceparent", "00-" + TRACE + "-2c3d4e5f6a7b8c9d-01").add("X-Request-Id", "untraced-front-1"), (String) null);
    assertThat(answer.statusCode()).isEqualTo(200);

    SpanData behind = spans.await("for the service's server span", s -> s.getKind() == SpanKind.SERVER
      && "untraced-front-1".equals(s.getAttributes().get(REQUEST_ID)));
    assertThat(behind.getTraceId()).isNotEqualTo(TRACE);
    assertThat(behind.getParentSpanContext().isValid()).isFalse();
  }
}
