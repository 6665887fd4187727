package dev.surge.jobservice.types;

import dev.surge.http.JsonInput;
import dev.surge.jobs.JobCancelledException;
import dev.surge.jobs.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * {@code sleep}: waits {@code ms} milliseconds in {@code steps} steps (default 10), reporting progress after each,
 * as sequential code on a virtual thread: the greenlet model, and a job to watch, cancel or time out.
 */
public final class SleepJob implements JobType {

  public static final long MAX_MS = 24 * 3600 * 1000L;
  private static final Logger LOG = LoggerFactory.getLogger(SleepJob.class);

  @Override
  public String name() {
    return "sleep";
  }

  @Override
  public ThreadingModel threadingModel() {
    return ThreadingModel.VIRTUAL_THREAD;
  }

  @Override
  public void validate(JsonInput args) {
    args.onlyFields(Set.of("ms", "steps"), Set.of());
    args.integer("ms", true, 0, MAX_MS);
    args.integer("steps", false, 1, 1000);
  }

  @Override
  public JobHandler handler() {
    return job -> {
      long ms = job.args().getLong("ms");
      int steps = job.args().getInteger("steps", 10);
      for (int step = 1; step <= steps; step++) {
        long delay = ms / steps + (step <= ms % steps ? 1 : 0);
        if (delay > 0) { // Vert.x refuses a timer of 0 ms: a step with nothing to sleep only reports its progress
          job.await(job.vertx().timer(delay));
        }
        // Progress is for watchers: one not stored (a connection dropped, the database failing over) is logged and
        // the sleep goes on, rather than failing an attempt whose work went fine. Cancellation still ends it.
        job.await(job.progress(step * 100 / steps, "slept " + step + " of " + steps + " steps").recover(err -> {
          if (err instanceof JobCancelledException) {
            return Future.failedFuture(err);
          }
          LOG.warn("Job {}: progress not stored: {}", job.id(), err.getMessage());
          return Future.succeededFuture();
        }));
      }
      return Future.succeededFuture(new JsonObject().put("sleptMs", ms));
    };
  }
}
