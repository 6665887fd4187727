package dev.surge.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Runs one attempt of a job. The returned future's value (may be null) is stored as the job's result; a failed
 * future, or an exception thrown, fails the attempt, which is retried with backoff until its attempts run out.
 *
 * <p>Where it runs is chosen at registration: on an event loop (async I/O only, return a pending future), on a
 * worker thread (blocking or CPU-bound code: do the work, return {@code Future.succeededFuture(result)}), or on
 * a virtual thread (sequential code that calls {@code job.await(future)}).
 */
@FunctionalInterface
public interface JobHandler {
  Future<JsonObject> run(JobContext job) throws Exception;
}
