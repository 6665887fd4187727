package dev.surge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the current span's {@value #TRACE_ID} and {@value #SPAN_ID} in the MDC of each log line written while a
 * span of a kept (sampled) trace is current, and takes them out otherwise: the text format prints them after the logger's name, the JSON
 * format in its {@code mdc} object. Read at each logging call, on the calling thread, where OpenTelemetry's
 * current context is the Vert.x context's (a request's, a message's, a job attempt's): MDC alone, a thread's, would
 * carry one request's ids into the next on an event loop.
 */
final class TraceIdsInLogs extends TurboFilter {

  static final String TRACE_ID = "traceId";
  static final String SPAN_ID = "spanId";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL; // nothing will be written: no need to look (isEnabledFor would call this again)
    }
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid() && span.isSampled()) { // a trace not kept leads nowhere: no ids
      MDC.put(TRACE_ID, span.getTraceId());
      MDC.put(SPAN_ID, span.getSpanId());
    } else if (MDC.get(TRACE_ID) != null) {
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    }
    return FilterReply.NEUTRAL;
  }
}
