package dev.surge.arbiter;

/** What a supervised instance tells its {@link Arbiter}; each instance gets its own. */
public interface InstanceHooks {

  /** The recycle limit this instance drew ({@code http.maxRequests} plus its jitter), or 0 for none. */
  long recycleAfter();

  /** It served its {@link #recycleAfter()} requests: replace it with a fresh one, then hand it off. */
  void recycleDue();

  /** It cannot go on (a handler marked it failed): hand it off and deploy another, with backoff. */
  void failed(Throwable cause);
}
