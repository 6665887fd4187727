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
import io.opentelemetry.semconv.ErrorAttributes;

import dev.surge.jobs.JobCancelledException;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Each attempt of a job as a {@code job <type>} span (kind consumer) in the trace of the code that enqueued the
 * job, its parent the span that was current then: a retry minutes later, on another node, is still in the order's
 * trace. The span is current while the handler runs, so the handler's own calls (SQL, the event bus, HTTP) are its
 * children; a failure (or a cancellation) marks it as an error, told as the job stores it. With no trace parent,
 * or tracing off, the attempt starts a trace of its
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
    Running running = new Running(attempt, span, parent.with(span).makeCurrent());
    // Cancelled (timed out, the job cancelled, the node stopping): the span ends then, as an error, whether or not
    // the handler ever returns.
    // (Only the span: what is current belongs to the attempt's own context, which its outcome restores.)
    attempt.cancelled().onSuccess(v -> running.endSpan(new JobCancelledException(attempt.cancellationReason())));
    return running;
  }

  static final class Running {
    private final Attempt attempt;
    private final Span span;
    private final Scope scope;
    private final AtomicBoolean ended = new AtomicBoolean();

    Running(Attempt attempt, Span span, Scope scope) {
      this.attempt = attempt;
      this.span = span;
      this.scope = scope;
    }

    /** The attempt's outcome, on its own context: ends the span (unless cancelled first) and restores what was current. */
    void end(Throwable failure) {
      try {
        endSpan(failure);
      } finally {
        scope.close();
      }
    }

    /**
     * Ends the span once (the outcome or the cancellation, whichever comes first), as an error when
     * {@code failure} is not null, told as the job stores it: its secret arguments masked, no stack trace.
     */
    void endSpan(Throwable failure) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      if (failure != null) {
        span.setAttribute(ErrorAttributes.ERROR_TYPE, failure.getClass().getName());
        span.setStatus(StatusCode.ERROR, attempt.errorText(failure));
      }
      span.end();
    }
  }
}
