package dev.surge.jobs;

/**
 * A failure no retry can fix (the job asks for something it will never be allowed to do): a handler that fails
 * with it, or throws it, has its job discarded at once, whatever attempts it has left. The message is the
 * attempt's recorded error. A later {@code retry} through the API still runs the job again.
 */
public class PermanentJobFailure extends RuntimeException {
  public PermanentJobFailure(String message) {
    super(message, null, false, false);
  }
}
