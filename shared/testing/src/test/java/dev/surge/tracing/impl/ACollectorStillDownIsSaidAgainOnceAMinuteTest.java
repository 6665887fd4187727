package dev.surge.tracing.impl;

import dev.surge.testing.CapturedLog;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collector down for an hour is sixty lines in a service's log, not one per failed export: each after the first
 * says how many spans were dropped since the one before; its return is said once, with what was dropped in all.
 */
class ACollectorStillDownIsSaidAgainOnceAMinuteTest {

  @Test
  void theFailuresOfAMinuteAreOneLineAndTheReturnOneMore() {
    AtomicLong now = new AtomicLong();
    ExportFailures failures = new ExportFailures(now::get);
    try (CapturedLog log = CapturedLog.of(ExportFailures.LOGGER)) {
      failures.failed(10, new ConnectException());
      now.set(TimeUnit.SECONDS.toNanos(30));
      failures.failed(20, new ConnectException());
      now.set(TimeUnit.SECONDS.toNanos(59));
      failures.failed(30, new ConnectException());
      assertThat(log.lines()).as("within the first minute").hasSize(1);
      assertThat(log.lines().getFirst()).contains("did not take 10 spans", "could not be reached: ConnectException");

      now.set(TimeUnit.SECONDS.toNanos(61));
      failures.failed(40, new ConnectException());
      assertThat(log.lines()).as("a minute after the first line").hasSize(2);
      assertThat(log.lines().get(1)).contains("still takes no spans", "90 dropped since the last line");

      failures.succeeded();
      failures.succeeded();
      assertThat(log.lines()).as("once it takes spans again").hasSize(3);
      assertThat(log.lines().get(2)).contains("takes spans again, 100 dropped");

      failures.failed(5, null);
      assertThat(log.lines()).as("down again: said at once").hasSize(4);
      assertThat(log.lines().get(3)).contains("did not take 5 spans");
    }
  }
}
