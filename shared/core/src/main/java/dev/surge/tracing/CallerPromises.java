package dev.surge.tracing;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * Promises for a caller whose answer another caller's work completes (a batch: one request's flush writes the rows
 * of several). A plain {@code Promise.promise()} runs its listeners where it is completed, so the waiting caller's
 * continuation would run as the request that flushed the batch: in its span, with its trace ids in the logs. One
 * of these runs them on the caller's own context (directly, when completed on the same event loop). Through
 * Vert.x's internal {@code ContextInternal}, which is where Vert.x 5 keeps a context's promises.
 */
public final class CallerPromises {

  private CallerPromises() {
  }

  /** A promise whose listeners run on the calling context (any thread's, outside one). */
  public static <T> Promise<T> promise() {
    ContextInternal caller = (ContextInternal) Vertx.currentContext();
    return caller == null ? Promise.promise() : caller.promise();
  }
}
