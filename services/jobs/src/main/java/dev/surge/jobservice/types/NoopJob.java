package dev.surge.jobservice.types;

import dev.surge.http.JsonInput;
import dev.surge.jobs.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;

import java.util.Set;

/** {@code noop}: does nothing, on an event loop; what the queue's throughput benchmark runs. */
public final class NoopJob implements JobType {

  @Override
  public String name() {
    return "noop";
  }

  @Override
  public ThreadingModel threadingModel() {
    return ThreadingModel.EVENT_LOOP;
  }

  @Override
  public void validate(JsonInput args) {
    args.onlyFields(Set.of(), Set.of());
  }

  @Override
  public JobHandler handler() {
    return job -> Future.succeededFuture();
  }
}
