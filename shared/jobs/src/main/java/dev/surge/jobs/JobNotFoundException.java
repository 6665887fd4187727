package dev.surge.jobs;

/** No job with that id. */
public final class JobNotFoundException extends RuntimeException {
  private final long id;

  public JobNotFoundException(long id) {
    super("no job with id " + id, null, false, false);
    this.id = id;
  }

  public long id() {
    return id;
  }
}
