package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every event loop's lag is measured, and a loop kept busy shows it in surge_eventloop_lag_seconds_max. */
class EventLoopLagShowsABusyLoopTest {

  private static TestService service;

  @BeforeAll
  static void start() {
    service = TestService.start(EchoService.definition());
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void aLoopBusyForAWhileIsThatLate() throws Exception {
    String before = service.get("/metrics").bodyAsString();
    assertThat(before).contains("surge_eventloop_lag_seconds_max{loop=\"0\"")
      .contains("surge_eventloop_lag_seconds_bucket{");
    long lateBefore = samplesLaterThan(before, 0.25);

    service.running().vertx().runOnContext(v -> {
      long until = System.nanoTime() + 400_000_000L;
      while (System.nanoTime() < until) {
        Thread.onSpinWait(); // a handler hogging its loop, on purpose
      }
    });
    Thread.sleep(700);
    assertThat(samplesLaterThan(service.get("/metrics").bodyAsString(), 0.25))
      .as("the busy loop was measured late").isGreaterThan(lateBefore);
  }

  /** Over every loop: samples in the histogram above the largest bucket bound not over {@code seconds}. */
  private static long samplesLaterThan(String metrics, double seconds) {
    Matcher m = Pattern.compile("surge_eventloop_lag_seconds_bucket\\{([^}]*)} ([0-9.eE+-]+)").matcher(metrics);
    Pattern le = Pattern.compile("le=\"([^\"]+)\"");
    Pattern loopLabel = Pattern.compile("loop=\"(\\d+)\"");
    java.util.Map<String, Double> atBound = new java.util.HashMap<>();
    java.util.Map<String, Double> bound = new java.util.HashMap<>();
    java.util.Map<String, Double> total = new java.util.HashMap<>();
    while (m.find()) {
      Matcher leMatch = le.matcher(m.group(1));
      Matcher loopMatch = loopLabel.matcher(m.group(1));
      if (!leMatch.find() || !loopMatch.find()) {
        continue;
      }
      String loop = loopMatch.group(1);
      double count = Double.parseDouble(m.group(2));
      if (leMatch.group(1).equals("+Inf")) {
        total.put(loop, count);
      } else {
        double upTo = Double.parseDouble(leMatch.group(1));
        if (upTo <= seconds && upTo >= bound.getOrDefault(loop, -1.0)) {
          bound.put(loop, upTo);
          atBound.put(loop, count);
        }
      }
    }
    assertThat(total).as("a histogram per loop").isNotEmpty();
    return total.entrySet().stream().mapToLong(e -> (long) (e.getValue() - atBound.getOrDefault(e.getKey(), 0.0))).sum();
  }
}
