package dev.surge.tracing.impl;

import dev.surge.testing.CapturedLog;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.export.HttpResponse;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collector down for an hour is sixty lines in a service's log, not one per failed export, and one that fails
 * every other export is no more: each line after the first comes a minute after the one before at the soonest and
 * says what was dropped since; the collector's return is said once, with what was dropped in all.
 */
class ACollectorStillDownIsSaidAgainOnceAMinuteTest {

  private final AtomicLong now = new AtomicLong();
  private final ExportFailures failures = new ExportFailures(now::get);

  private void at(int seconds) {
    now.set(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void aCollectorDownAMinuteAndMoreIsALineAMinuteAndItsReturnOneMore() {
    try (CapturedLog log = CapturedLog.of(ExportFailures.LOGGER)) {
      failures.failed(10, FailedExportException.httpFailedExceptionally(new ConnectException()));
      at(30);
      failures.failed(20, new ConnectException());
      at(59);
      failures.failed(30, new ConnectException());
      assertThat(log.lines()).as("within the first minute").hasSize(1);
      assertThat(log.lines().getFirst()).contains("fail (ConnectException): 10 spans dropped");

      at(61);
      failures.failed(40, new ConnectException());
      assertThat(log.lines()).as("a minute after the first line").hasSize(2);
      assertThat(log.lines().get(1)).contains("still fail (ConnectException): 90 spans dropped since the last line");

      at(125);
      failures.succeeded();
      failures.succeeded();
      assertThat(log.lines()).as("once it takes spans again").hasSize(3);
      assertThat(log.lines().get(2)).contains("takes spans again; 100 spans dropped");
    }
  }

  @Test
  void aCollectorFailingEveryOtherExportIsALineAMinuteNotOneAnExport() {
    try (CapturedLog log = CapturedLog.of(ExportFailures.LOGGER)) {
      for (int second = 0; second < 180; second += 5) {
        at(second);
        if (second % 10 == 0) {
          failures.failed(1, new ConnectException());
        } else {
          failures.succeeded();
        }
      }
      assertThat(log.lines()).as("three minutes of an export failing, the next going out").hasSize(3)
        .satisfiesExactly(
          first -> assertThat(first).contains("fail (ConnectException): 1 spans dropped"),
          second -> assertThat(second).contains("still fail (ConnectException): 6 spans dropped since the last line"),
          third -> assertThat(third).contains("still fail (ConnectException): 6 spans dropped since the last line"));
    }
  }

  @Test
  void aCollectorThatAnswersAnErrorIsSaidWithItsStatusAndNothingItWrote() {
    HttpResponse tooLarge = new HttpResponse() {
      @Override
      public int getStatusCode() {
        return 413;
      }

      @Override
      public String getStatusMessage() {
        return "Payload Too Large at http://user:secret@collector:4318";
      }

      @Override
      public byte[] getResponseBody() {
        return "limit exceeded for token secret".getBytes();
      }
    };
    try (CapturedLog log = CapturedLog.of(ExportFailures.LOGGER)) {
      failures.failed(3, FailedExportException.httpFailedWithResponse(tooLarge));
      assertThat(log.lines()).singleElement().asString().contains("(the collector answered HTTP 413)")
        .doesNotContain("secret", "collector:4318");
    }
  }
}
