package dev.surge.jobs.impl;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.List;

/**
 * Each attempt of a job as a {@code job <type>} span (kind consumer) in the trace of the code that enqueued the
 * job, its parent the span that was current then: a retry minutes later, on another node, is still in the order's
 * trace. The span is current while the handler runs, so the handler's own calls (SQL, the event bus, HTTP) are its
 * children; a failure marks it as an error. With no trace parent, or tracing off, the attempt starts a trace of its
 * own or makes no span at all.
 */
final class AttemptSpans {

  private static final String INSTRUMENTATION = "dev.surge.jobs";
  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
  private static final AttributeKey<String> QUEUE = AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<Long> JOB_ID = AttributeKey.longKey("surge.job.id");
  private static final AttributeKey<String> JOB_TYPE = AttributeKey.stringKey("surge.job.type");
  private static final AttributeKey<Long> JOB_ATTEMPT = AttributeKey.longKey("surge.job.attempt");
  private static final TextMapGetter<String> TRACE_PARENT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return List.of("traceparent");
    }

    @Override
    public String get(String carrier, String key) {
      return "traceparent".equals(key) ? carrier : null;
    }
  };

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;

  AttemptSpans(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
  }

  /** The attempt's span, started and made current in the calling context until {@link Running#end}. */
  Running start(Attempt attempt) {
    Context parent = attempt.traceParent == null ? Context.root()
      : openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), attempt.traceParent, TRACE_PARENT);
    Span span = tracer.spanBuilder("job " + attempt.type).setParent(parent).setSpanKind(SpanKind.CONSUMER)
      .setAttribute(SYSTEM, "surge-jobs").setAttribute(OPERATION, "process").setAttribute(QUEUE, attempt.queue)
      .setAttribute(JOB_ID, attempt.id).setAttribute(JOB_TYPE, attempt.type)
      .setAttribute(JOB_ATTEMPT, (long) attempt.attempt).startSpan();
    return new Running(span, parent.with(span).makeCurrent());
  }

  record Running(Span span, Scope scope) {
    /** Ends the span, as an error when {@code failure} is not null, and restores what was current. */
    void end(Throwable failure) {
      if (failure != null) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, JobRunnerVerticle.describe(failure));
      }
      span.end();
      scope.close();
    }
  }
}
