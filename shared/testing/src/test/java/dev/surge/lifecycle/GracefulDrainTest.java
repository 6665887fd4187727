package dev.surge.lifecycle;

import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shutdown: readiness goes DOWN, the listener closes, in-flight requests still get their answers. */
class GracefulDrainTest {

  @Test
  void aSlowInFlightRequestCompletesAfterShutdownStartsWhileNewConnectionsAreRefused() throws Exception {
    TestService service = TestService.start(EchoService.definition(), Map.of("shutdown.delay", "1s",
      "shutdown.grace", "10s"));
    Vertx other = Vertx.vertx();
    try {
      // A client of its own: the in-flight request has a connection to itself.
      WebClient client = WebClient.create(other);
      Future<HttpResponse<Buffer>> inFlight = client.get(service.port(), "127.0.0.1", "/slow?ms=2500").send();
      MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(service.get("/metrics").bodyAsString(), "surge_http_inflight"),
        "requests in flight", 1);
      assertThat(service.get("/health/ready").statusCode()).isEqualTo(200);

      Future<Void> shutdown = service.running().shutdown();
      HttpResponse<Buffer> ready = service.get("/health/ready");
      assertThat(ready.statusCode()).as("readiness is DOWN as soon as draining starts").isEqualTo(503);
      assertThat(ready.bodyAsString()).contains("draining");

      HttpResponse<Buffer> slow = TestService.await(inFlight);
      assertThat(slow.statusCode()).isEqualTo(200);
      assertThat(slow.bodyAsString()).isEqualTo("slept 2500");
      assertThatThrownBy(() -> new Socket("127.0.0.1", service.port()).close())
        .as("the listener is closed").isInstanceOf(ConnectException.class);
      TestService.await(shutdown);
    } finally {
      other.close();
      service.close();
    }
  }
}
