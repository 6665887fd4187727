package dev.surge.tracing;

import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector is the one thing tracing adds that can fail, and it must cost the clients nothing: a collector that
 * refuses connections, or one that takes them and never answers, leaves every request answered, and the spans
 * that could not go out are counted ({@code surge_tracing_spans_dropped_total} by reason) instead of waited for.
 */
class ACollectorThatIsDownChangesNothingForTheClientTest {

  private static Map<String, Object> tracedTo(String endpoint, Map<String, Object> more) {
    Map<String, Object> config = new HashMap<>(Map.of("tracing.enabled", true, "tracing.samplingRatio", 1.0,
      "tracing.endpoint", endpoint));
    config.putAll(more);
    return config;
  }

  private static double dropped(TestService service, String reason) {
    return MetricsScrape.sum(service.get("/metrics").bodyAsString(), "surge_tracing_spans_dropped_total",
      "reason=\"" + reason + "\"");
  }

  @Test
  void aCollectorRefusingConnectionsLeavesEveryRequestAnsweredAndItsSpansCountedAsFailed() {
    try (TestService service = TestService.start(EchoService.definition(),
      tracedTo("http://127.0.0.1:9/v1/traces", Map.of("tracing.exportTimeout", "500ms")))) {
      for (int i = 0; i < 50; i++) {
        assertThat(service.get("/echo/" + i).statusCode()).isEqualTo(200);
      }
      MetricsScrape.awaitAtLeast(() -> dropped(service, "export-failed"), "spans counted as failed exports", 50);
    }
  }

  @Test
  void aCollectorThatNeverAnswersLeavesEveryRequestAnsweredAndTheSpansBeyondTheQueueCountedAsDropped()
    throws IOException {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // read nothing, answer nothing
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      try (TestService service = TestService.start(EchoService.definition(), tracedTo(
        "http://127.0.0.1:" + silent.getLocalPort() + "/v1/traces",
        Map.of("tracing.maxQueueSize", 64, "tracing.exportTimeout", "1m")))) {
        for (int i = 0; i < 300; i++) {
          assertThat(service.get("/echo/" + i).statusCode()).isEqualTo(200);
        }
        MetricsScrape.awaitAtLeast(() -> dropped(service, "queue-full"), "spans dropped beyond the queue", 1);
      }
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
