package dev.surge.tracing.impl;

import io.opentelemetry.exporter.internal.FailedExportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tells the service's log that the collector takes no spans: one WARN line as the first export fails, then at most one
 * a minute while they keep failing, with the spans dropped since and why (a status code, or the kind of error: never
 * a message, which may hold the endpoint's address), never a stack trace; and one INFO line when an export goes out
 * again. The OpenTelemetry SDK's own lines are off ({@link dev.surge.logging.LogSetup}): it writes a SEVERE with the
 * whole stack trace for each failed export, four a minute for as long as the collector is down, in every service.
 * Written here because the SDK's throttling is fixed (five a minute, then one) and cannot say what was dropped.
 */
public final class ExportFailures {

  /** The logger the lines are written to. */
  public static final String LOGGER = "dev.surge.tracing.Tracing";
  /** The most one line a failing collector is written about, after the first. */
  public static final long REPEAT_AFTER_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final LongSupplier nanoTime;
  private boolean failing;
  private long droppedSinceLine;
  private long droppedInAll;
  private long lastLineNanos;

  public ExportFailures() {
    this(System::nanoTime);
  }

  ExportFailures(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** An export of {@code spans} failed with {@code cause} (may be null). */
  public synchronized void failed(int spans, Throwable cause) {
    droppedSinceLine += spans;
    droppedInAll += spans;
    long now = nanoTime.getAsLong();
    if (!failing) {
      failing = true;
      lastLineNanos = now;
      LOG.warn("Tracing: the collector did not take {} spans ({}); spans are dropped while it does not, counted in "
        + "surge_tracing_spans_dropped_total{reason=\"export-failed\"}, and said here at most once a minute",
        droppedSinceLine, why(cause));
      droppedSinceLine = 0;
    } else if (now - lastLineNanos >= REPEAT_AFTER_NANOS) {
      lastLineNanos = now;
      LOG.warn("Tracing: the collector still takes no spans ({}): {} dropped since the last line", why(cause),
        droppedSinceLine);
      droppedSinceLine = 0;
    }
  }

  /** An export went out. */
  public synchronized void succeeded() {
    if (failing) {
      failing = false;
      LOG.info("Tracing: the collector takes spans again, {} dropped while it did not", droppedInAll);
      droppedSinceLine = 0;
      droppedInAll = 0;
    }
  }

  /** What went wrong, without a message: the status the collector answered, or the kind of error the sender met. */
  static String why(Throwable cause) {
    // The SDK's exception is of an internal package, the one way it tells an answer from no answer.
    if (cause instanceof FailedExportException.HttpExportException http && http.getResponse() != null) {
      return "it answered HTTP " + http.getResponse().getStatusCode();
    }
    Throwable first = cause instanceof FailedExportException ? cause.getCause() : cause; // what the sender threw
    return first == null ? "no reason given" : "could not be reached: " + first.getClass().getSimpleName();
  }
}
