package dev.surge.jobservice.jobs;

import dev.surge.config.Durations;
import dev.surge.http.JsonInput;
import dev.surge.http.Problem;
import dev.surge.jobs.JobRequest;
import dev.surge.jobservice.types.JobType;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The body of {@code POST /jobs}, checked whole (the job's own arguments by its type) before anything is stored. */
final class JobInput {

  static final Set<String> FIELDS = Set.of("type", "args", "queue", "priority", "runAt", "maxAttempts", "timeout",
    "uniqueKey");
  static final Set<String> READ_ONLY = Set.of("id", "state", "attempt", "errors", "progress", "result", "insertedAt",
    "attemptedAt", "finishedAt", "node");

  private JobInput() {
  }

  /**
   * Only the {@code queues} this service runs are accepted (any other name is a 400, and nothing is made for it);
   * {@code args} larger than {@code maxArgsSize} bytes as JSON are a 413.
   */
  static JobRequest read(JsonInput in, Map<String, JobType> types, Set<String> queues, long maxArgsSize) {
    in.onlyFields(FIELDS, READ_ONLY);
    tooLarge(in, maxArgsSize);
    String typeName = in.string("type", true, 1, 64, JobRequest.TYPE_PATTERN,
      "must be 1 to 64 lower-case letters, digits, '.', '_' or '-'");
    JobType type = typeName == null ? null : types.get(typeName);
    in.error("type", "is not a job type this service runs; known types: " + new TreeSet<>(types.keySet()),
      typeName != null && type == null);
    JsonInput args = in.nested("args");
    if (type != null && in.valid()) {
      type.validate(args);
    }
    String queue = in.string("queue", false, 1, 40, JobRequest.QUEUE_PATTERN,
      "must be 1 to 40 lower-case letters, digits or '-', starting with a letter");
    boolean malformed = queue == null && in.json().getValue("queue") != null; // already reported
    String queueName = queue == null ? JobRequest.DEFAULT_QUEUE : queue;
    in.error("queue", "'" + queueName + "' is not a queue this service runs; its queues: " + new TreeSet<>(queues),
      !malformed && !queues.contains(queueName));
    Long priority = in.integer("priority", false, JobRequest.MIN_PRIORITY, JobRequest.MAX_PRIORITY);
    Instant runAt = in.instant("runAt", false);
    Long maxAttempts = in.integer("maxAttempts", false, 1, JobRequest.MAX_ATTEMPTS_LIMIT);
    Duration timeout = timeout(in);
    String uniqueKey = in.string("uniqueKey", false, 1, JobRequest.MAX_UNIQUE_KEY_LENGTH, null, null);
    in.validate();
    return new JobRequest(typeName, args.json())
      .setQueue(queue)
      .setPriority(priority == null ? JobRequest.DEFAULT_PRIORITY : priority.intValue())
      .setRunAt(runAt)
      .setMaxAttempts(maxAttempts == null ? null : maxAttempts.intValue())
      .setTimeout(timeout)
      .setUniqueKey(uniqueKey);
  }

  private static void tooLarge(JsonInput in, long maxArgsSize) {
    Object args = in.json().getValue("args");
    long size = args instanceof JsonObject json ? json.toBuffer().length() : 0;
    if (size > maxArgsSize) {
      throw Problem.of(413, "payload-too-large", "Job arguments too large")
        .detail("args is " + size + " bytes as JSON; at most " + maxArgsSize + " (jobs.maxArgsSize)")
        .fieldError("args", "must be at most " + maxArgsSize + " bytes as JSON").asException();
    }
  }

  /** Milliseconds as a number, or a duration such as "90s" or "5m"; from 1 ms to 1 day. */
  private static Duration timeout(JsonInput in) {
    Object raw = in.json().getValue("timeout");
    if (raw == null) {
      return null;
    }
    Duration timeout = null;
    if (raw instanceof Integer || raw instanceof Long) {
      timeout = Duration.ofMillis(((Number) raw).longValue());
    } else if (raw instanceof String s) {
      try {
        timeout = Durations.parse(s);
      } catch (IllegalArgumentException e) {
        timeout = null;
      }
    }
    boolean valid = timeout != null && timeout.toMillis() >= 1 && timeout.compareTo(JobRequest.MAX_TIMEOUT) <= 0;
    in.error("timeout", "must be milliseconds, or a duration such as \"90s\" or \"5m\", from 1 ms to 1 day", !valid);
    return valid ? timeout : null;
  }
}
