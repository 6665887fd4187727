package dev.surge.jobs;

/** A transition the job's current state does not allow, such as cancelling a completed job. */
public final class JobStateException extends RuntimeException {
  private final transient Job job;

  public JobStateException(Job job, String message) {
    super(message, null, false, false);
    this.job = job;
  }

  /** The job as it is, unchanged. */
  public Job job() {
    return job;
  }
}
