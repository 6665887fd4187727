package dev.surge.jobservice.types;

import dev.surge.http.JsonInput;
import dev.surge.jobs.JobHandler;
import dev.surge.jobs.SecretArgs;
import io.vertx.core.ThreadingModel;

/** A built-in job type of the jobs service: its name, where it runs, how its arguments are checked, and its handler. */
public interface JobType {

  String name();

  ThreadingModel threadingModel();

  /**
   * Checks the {@code args} a client sent, recording each problem as a field error on {@code args} (the caller
   * throws the 400 problem): nothing is enqueued for arguments the handler would reject.
   */
  void validate(JsonInput args);

  JobHandler handler();

  /**
   * The arguments only the handler may see, such as credentials: masked in every response, log line and event
   * (see {@link SecretArgs}). None by default.
   */
  default SecretArgs secretArgs() {
    return SecretArgs.NONE;
  }
}
