package dev.surge.tracing.impl;

import dev.surge.tracing.CallerTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.Context;
import io.vertx.tracing.opentelemetry.HeadersPropagatorGetter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The trace context of an HTTP request as the service serving it takes it ({@link CallerTraces}): what Vert.x's
 * tracer is handed in place of the request's headers (it reads them for the W3C trace context alone), and the
 * caller's span to link to. A service that follows its callers costs a lookup a request; the others read the
 * request's {@code traceparent} once more.
 */
public final class CallerContexts {

  private static final HeadersPropagatorGetter GETTER = new HeadersPropagatorGetter();
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  /** The trace context Vert.x's tracer is to read, and the caller's span to link the request's span to (or null). */
  public record Taken(Iterable<Map.Entry<String, String>> headers, SpanContext link) {
  }

  private final Function<Context, CallerTraces> policies;
  private final TextMapPropagator propagator;
  private final double ratio;

  /**
   * @param policies   what the service whose verticle runs on a context does with its callers' traces
   * @param propagator what reads a trace context (W3C Trace Context)
   * @param ratio      the share of traces kept where a service decides itself ({@link CallerTraces#DECIDE})
   */
  public CallerContexts(Function<Context, CallerTraces> policies, TextMapPropagator propagator, double ratio) {
    this.policies = policies;
    this.propagator = propagator;
    this.ratio = ratio;
  }

  /** How the request received on {@code context} with {@code headers} is to be traced; null: as it came. */
  public Taken take(Context context, Iterable<Map.Entry<String, String>> headers) {
    CallerTraces callers = policies.apply(context);
    if (callers == CallerTraces.FOLLOW || headers == null) {
      return null;
    }
    SpanContext caller = Span.fromContext(propagator.extract(io.opentelemetry.context.Context.root(), headers, GETTER))
      .getSpanContext();
    if (!caller.isValid()) {
      return null; // no trace to continue: the request starts one, as any would
    }
    if (callers == CallerTraces.LINK) {
      return new Taken(List.of(), caller);
    }
    // The trace id continued, with this service's decision in place of the caller's (at random: the caller chose
    // the id, so a ratio taken from it would be the caller's to steer).
    boolean keep = ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio;
    Map.Entry<String, String> parent = Map.entry(TRACEPARENT,
      "00-" + caller.getTraceId() + "-" + caller.getSpanId() + (keep ? "-01" : "-00"));
    String state = GETTER.get(headers, TRACESTATE);
    return new Taken(state == null ? List.of(parent) : List.of(parent, Map.entry(TRACESTATE, state)), null);
  }
}
