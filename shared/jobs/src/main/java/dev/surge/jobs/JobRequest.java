package dev.surge.jobs;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job to enqueue: its type, its JSON arguments, and how to run it. Unset options take the queue's defaults
 * ({@link JobQueueOptions#getDefaultMaxAttempts()}, {@link JobQueueOptions#getDefaultTimeout()}).
 *
 * <pre>{@code
 * jobs.enqueue(new JobRequest("report.export", new JsonObject().put("report", "products"))
 *   .setQueue("reports").setPriority(1).setUniqueKey("nightly-products"));
 * }</pre>
 */
public final class JobRequest {

  public static final String DEFAULT_QUEUE = "default";
  public static final int DEFAULT_PRIORITY = 0;
  public static final int MIN_PRIORITY = 0;
  public static final int MAX_PRIORITY = 9;
  public static final int MAX_ATTEMPTS_LIMIT = 100;
  public static final Duration MAX_TIMEOUT = Duration.ofDays(1);
  public static final int MAX_UNIQUE_KEY_LENGTH = 200;
  public static final Pattern TYPE_PATTERN = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  public static final Pattern QUEUE_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  /** A W3C Trace Context {@code traceparent}, version 00. */
  public static final Pattern TRACE_PARENT_PATTERN = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private final String type;
  private final JsonObject args;
  private String queue = DEFAULT_QUEUE;
  private int priority = DEFAULT_PRIORITY;
  private Instant runAt;
  private Integer maxAttempts;
  private Duration timeout;
  private String uniqueKey;
  private String traceParent = currentTraceParent();

  /** A job of {@code type} with its arguments, in the trace current where it is made (if any). */
  public JobRequest(String type, JsonObject args) {
    this.type = Objects.requireNonNull(type, "type");
    this.args = args == null ? new JsonObject() : args;
  }

  public JobRequest(String type) {
    this(type, new JsonObject());
  }

  public String getType() {
    return type;
  }

  public JsonObject getArgs() {
    return args;
  }

  public String getQueue() {
    return queue;
  }

  /** The queue the job waits in; {@value #DEFAULT_QUEUE} by default. */
  public JobRequest setQueue(String queue) {
    this.queue = queue == null ? DEFAULT_QUEUE : queue;
    return this;
  }

  public int getPriority() {
    return priority;
  }

  /** 0 (first, the default) to 9 (last): within a queue, lower numbers are claimed first. */
  public JobRequest setPriority(int priority) {
    this.priority = priority;
    return this;
  }

  public Instant getRunAt() {
    return runAt;
  }

  /** Not before this instant; null or past means now. */
  public JobRequest setRunAt(Instant runAt) {
    this.runAt = runAt;
    return this;
  }

  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  /** Attempts before the job is discarded, 1 to {@value #MAX_ATTEMPTS_LIMIT}. */
  public JobRequest setMaxAttempts(Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
    return this;
  }

  public Duration getTimeout() {
    return timeout;
  }

  /** How long one attempt may run before its handler is cancelled and the attempt counts as failed. */
  public JobRequest setTimeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public String getUniqueKey() {
    return uniqueKey;
  }

  /** While a job with this key is alive (not completed, cancelled or discarded), enqueueing returns that job. */
  public JobRequest setUniqueKey(String uniqueKey) {
    this.uniqueKey = uniqueKey;
    return this;
  }

  /**
   * The W3C {@code traceparent} of the span that asked for the job: each attempt is a span in its trace. By
   * default the one current where this request was made; null when nothing was traced there.
   */
  public String getTraceParent() {
    return traceParent;
  }

  /**
   * Sets the trace the job's attempts join: for a request made away from the span it belongs to (enqueued in a
   * batch for several callers, say); null for none.
   */
  public JobRequest setTraceParent(String traceParent) {
    this.traceParent = traceParent;
    return this;
  }

  /**
   * The {@code traceparent} of the span current on this thread or Vert.x context, or null when none is or its trace
   * is not kept (not sampled: the attempts would only continue a trace nobody sees).
   */
  public static String currentTraceParent() {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid() || !span.isSampled()) {
      return null;
    }
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /** The trace id of a {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), or null when it is none. */
  public static String traceIdOf(String traceParent) {
    return traceParent == null || traceParent.length() != 55 ? null : traceParent.substring(3, 35);
  }

  /** Throws {@link IllegalArgumentException} naming the first option that is out of range. */
  public JobRequest validate() {
    if (!TYPE_PATTERN.matcher(type).matches()) {
      throw new IllegalArgumentException("type must be 1 to 64 lower-case letters, digits, '.', '_' or '-'");
    }
    if (!QUEUE_PATTERN.matcher(queue).matches()) {
      throw new IllegalArgumentException("queue must be 1 to 40 lower-case letters, digits or '-', starting with a letter");
    }
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException("priority must be between 0 and 9");
    }
    if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT)) {
      throw new IllegalArgumentException("maxAttempts must be between 1 and " + MAX_ATTEMPTS_LIMIT);
    }
    if (timeout != null && (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0)) {
      throw new IllegalArgumentException("timeout must be between 1 ms and 1 day");
    }
    if (uniqueKey != null && (uniqueKey.isEmpty() || uniqueKey.length() > MAX_UNIQUE_KEY_LENGTH)) {
      throw new IllegalArgumentException("uniqueKey must be 1 to " + MAX_UNIQUE_KEY_LENGTH + " characters");
    }
    if (traceParent != null && !TRACE_PARENT_PATTERN.matcher(traceParent).matches()) {
      throw new IllegalArgumentException("traceParent must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)");
    }
    return this;
  }
}
