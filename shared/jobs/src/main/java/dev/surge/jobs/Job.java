package dev.surge.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/**
 * A stored job as it is now. {@code errors} holds one entry per failed attempt ({@code attempt}, {@code at},
 * {@code error}); {@code progress} and {@code progressMessage} are what its handler last reported; {@code duplicate}
 * is true when an enqueue returned this live job because it held the same unique key. {@code traceId} is the trace
 * its attempts are spans of (the one that enqueued it), or null when it was enqueued outside any.
 */
public record Job(long id, String type, String queue, JobState state, int priority, JsonObject args,
                  JsonObject result, int attempt, int maxAttempts, Duration timeout, String uniqueKey, Instant runAt,
                  Instant insertedAt, Instant attemptedAt, Instant finishedAt, String node, Integer progress,
                  String progressMessage, JsonArray errors, String traceId, boolean duplicate) {

  /** This job, as returned to an enqueue whose unique key it already held (nothing new was stored). */
  public Job asDuplicate() {
    return new Job(id, type, queue, state, priority, args, result, attempt, maxAttempts, timeout, uniqueKey, runAt,
      insertedAt, attemptedAt, finishedAt, node, progress, progressMessage, errors, traceId, true);
  }

  /** This job with other arguments, such as its arguments with the secret ones masked. */
  public Job withArgs(JsonObject args) {
    return new Job(id, type, queue, state, priority, args, result, attempt, maxAttempts, timeout, uniqueKey, runAt,
      insertedAt, attemptedAt, finishedAt, node, progress, progressMessage, errors, traceId, duplicate);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id)
      .put("type", type)
      .put("queue", queue)
      .put("state", state.wire())
      .put("priority", priority)
      .put("args", args)
      .put("attempt", attempt)
      .put("maxAttempts", maxAttempts)
      .put("timeoutMs", timeout.toMillis())
      .put("runAt", runAt.toString())
      .put("insertedAt", insertedAt.toString())
      .put("errors", errors);
    if (uniqueKey != null) {
      json.put("uniqueKey", uniqueKey);
    }
    if (attemptedAt != null) {
      json.put("attemptedAt", attemptedAt.toString());
    }
    if (finishedAt != null) {
      json.put("finishedAt", finishedAt.toString());
    }
    if (node != null) {
      json.put("node", node);
    }
    if (progress != null) {
      json.put("progress", new JsonObject().put("percent", progress).put("message", progressMessage));
    }
    if (result != null) {
      json.put("result", result);
    }
    if (traceId != null) {
      json.put("traceId", traceId);
    }
    return json;
  }
}
