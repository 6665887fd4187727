package dev.surge.tracing;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a collector receives, through the real OTLP/HTTP exporter: each request's span, named by its route, with
 * the service's name, and without what the exporter's scrubbing view hides (the raw path beside a route, the query
 * string). The exporter reads the spans' attributes through that view: a view whose count and iteration disagreed
 * would write a message a collector cannot read, or carry what the access log never writes.
 */
class SpansReachTheCollectorScrubbedTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void eachRequestsSpanReachesTheCollectorNamedByItsRouteWithoutItsPathOrQuery() throws Exception {
    HttpServer collector = vertx.createHttpServer().requestHandler(request -> {
      if (request.method() == HttpMethod.POST && "/v1/traces".equals(request.path())) {
        request.body().onSuccess(body -> {
          // OTLP protobuf: its strings are stored as UTF-8 bytes, readable as they are.
          received.add(body.toString(StandardCharsets.ISO_8859_1));
          request.response().putHeader("Content-Type", "application/x-protobuf").end(Buffer.buffer());
        });
      } else {
        request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

    try (TestService service = TestService.start(EchoService.definition(), Map.of("tracing.enabled", true,
      "tracing.samplingRatio", 1.0, "tracing.serviceName", "echo-traced",
      "tracing.endpoint", "http://127.0.0.1:" + collector.actualPort() + "/v1/traces"))) {
      for (int i = 0; i < 5; i++) {
        assertThat(service.get("/echo/secret-" + i + "?token=t0k3n").statusCode()).isEqualTo(200);
      }
    } // closed: what was still queued is exported, so every span of the five requests is in what was received
    String exported = String.join("", received); // protobuf: only what it contains is told, not the bytes
    assertThat(exported.contains("GET /echo/:id")).as("the requests' spans exported, named by their route").isTrue();
    assertThat(exported.contains("echo-traced")).as("the service's name exported").isTrue();
    assertThat(exported.contains("secret-")).as("a raw path exported beside its route").isFalse();
    assertThat(exported.contains("t0k3n")).as("a query string exported").isFalse();
  }
}
