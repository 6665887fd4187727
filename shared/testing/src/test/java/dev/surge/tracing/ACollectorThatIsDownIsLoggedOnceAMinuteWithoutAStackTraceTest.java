package dev.surge.tracing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.sun.net.httpserver.HttpServer;
import dev.surge.testing.CapturedLog;
import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collector that is down is an operator's problem to hear about once, not a flood: the service says so in one WARN
 * line, with the metric that counts what is dropped and why (no stack trace, no address), and nothing more within
 * the minute however many exports fail or go out again. (That the SDK's own lines, a SEVERE with a stack trace for
 * every failed export, stay out of the log is for a service's own process to show, whose logging the chassis sets
 * up: {@link LogLinesWrittenInsideATracedRequestCarryItsIdsTest}.)
 */
class ACollectorThatIsDownIsLoggedOnceAMinuteWithoutAStackTraceTest {

  @Test
  void oneLineWhenExportsStartFailingAndNoneMoreWithinTheMinute() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // closed again: nothing listens there until the collector below
    }
    try (TestService service = TestService.start(EchoService.definition(), Map.of("tracing.enabled", true,
      "tracing.samplingRatio", 1.0, "tracing.endpoint", "http://127.0.0.1:" + port + "/v1/traces",
      "tracing.exportTimeout", "500ms", "tracing.maxQueueSize", 64));
         CapturedLog surge = CapturedLog.of("dev.surge.tracing")) {
      for (int i = 0; i < 100; i++) {
        assertThat(service.get("/echo/" + i).statusCode()).isEqualTo(200);
      }
      MetricsScrape.awaitAtLeast(() -> dropped(service), "spans counted as failed exports", 64);

      List<ILoggingEvent> lines = surge.events();
      assertThat(lines).as("the service's lines about the collector, several exports having failed").hasSize(1);
      ILoggingEvent down = lines.getFirst();
      assertThat(down.getLevel()).isEqualTo(Level.WARN);
      assertThat(down.getFormattedMessage()).contains("exports to the collector fail (ConnectException)",
        "surge_tracing_spans_dropped_total{reason=\"export-failed\"}").doesNotContain("127.0.0.1", String.valueOf(port));
      assertThat(down.getThrowableProxy()).as("a stack trace").isNull();

      AtomicInteger received = new AtomicInteger();
      HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
      collector.createContext("/v1/traces", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
        received.incrementAndGet();
      });
      collector.start();
      try {
        for (int i = 0; i < 500 && received.get() == 0; i++) {
          service.get("/echo/again-" + i);
          Thread.sleep(20);
        }
        assertThat(received).as("exports the collector took once up").hasPositiveValue();
        // Its return is said at the first export a minute after the WARN (ACollectorStillDownIsSaidAgainOnceAMinuteTest)
        assertThat(surge.events()).as("the lines within the minute of the first").hasSize(1);
      } finally {
        collector.stop(0);
      }
    }
  }

  private static double dropped(TestService service) {
    return MetricsScrape.sum(service.get("/metrics").bodyAsString(), "surge_tracing_spans_dropped_total",
      "reason=\"export-failed\"");
  }
}
