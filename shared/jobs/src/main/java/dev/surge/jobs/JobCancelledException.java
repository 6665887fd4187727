package dev.surge.jobs;

/** What a cancelled attempt's guarded futures fail with. */
public final class JobCancelledException extends RuntimeException {
  public JobCancelledException(String reason) {
    super(reason, null, false, false);
  }
}
