package dev.surge.tracing.impl;

import io.opentelemetry.exporter.internal.FailedExportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tells the service's log that exports to the collector fail: a WARN line as the first fails, with why (the status
 * the collector answered, or the kind of error: never a message, which may hold the endpoint's address) and never
 * a stack trace; an INFO line once an export goes out again; and between any two lines after the first, a minute at
 * least. What happens within the minute is said in the next line: the spans dropped since the last one, and a
 * collector that fails some exports and takes others (one bad replica behind a balancer) is a line a minute, not
 * one per export. The OpenTelemetry SDK's own lines are off ({@link dev.surge.logging.LogSetup}): a SEVERE with the
 * whole stack trace for each failed export, four a minute for as long as the collector is down, in every service.
 * Written here because the SDK's throttling is fixed (five a minute, then one) and cannot say what was dropped.
 */
public final class ExportFailures {

  /** The logger the lines are written to. */
  public static final String LOGGER = "dev.surge.tracing.Tracing";
  /** The least time between two lines, after the first. */
  public static final long REPEAT_AFTER_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final LongSupplier nanoTime;
  private boolean saidAny;
  private long lastLineNanos;
  /** Whether the last line said that exports fail (and no line since said they go out again). */
  private boolean saidFailing;
  private long droppedSinceLine;
  private long droppedSinceSaidFailing;

  public ExportFailures() {
    this(System::nanoTime);
  }

  ExportFailures(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** An export of {@code spans} failed with {@code cause} (may be null). */
  public synchronized void failed(int spans, Throwable cause) {
    droppedSinceLine += spans;
    droppedSinceSaidFailing += spans;
    if (!maySay()) {
      return;
    }
    if (!saidFailing) {
      LOG.warn("Tracing: exports to the collector fail ({}): {} spans dropped; spans are dropped while they do, "
        + "counted in surge_tracing_spans_dropped_total{reason=\"export-failed\"}, and said here at most once a "
        + "minute", why(cause), droppedSinceLine);
      saidFailing = true;
      droppedSinceSaidFailing = droppedSinceLine;
    } else {
      LOG.warn("Tracing: exports to the collector still fail ({}): {} spans dropped since the last line", why(cause),
        droppedSinceLine);
    }
    said();
  }

  /** An export went out. */
  public synchronized void succeeded() {
    if (saidFailing && maySay()) {
      LOG.info("Tracing: the collector takes spans again; {} spans dropped since exports began to fail",
        droppedSinceSaidFailing);
      saidFailing = false;
      droppedSinceSaidFailing = 0;
      said();
    }
  }

  private boolean maySay() {
    return !saidAny || nanoTime.getAsLong() - lastLineNanos >= REPEAT_AFTER_NANOS;
  }

  private void said() {
    saidAny = true;
    lastLineNanos = nanoTime.getAsLong();
    droppedSinceLine = 0;
  }

  /** Why, without a message: the status the collector answered, or the kind of error the sender met. */
  static String why(Throwable cause) {
    // The SDK's exception is of an internal package, the one way it tells an answer from no answer.
    if (cause instanceof FailedExportException.HttpExportException http && http.getResponse() != null) {
      return "the collector answered HTTP " + http.getResponse().getStatusCode();
    }
    Throwable first = cause instanceof FailedExportException ? cause.getCause() : cause; // what the sender threw
    return first == null ? "no reason given" : first.getClass().getSimpleName();
  }
}
