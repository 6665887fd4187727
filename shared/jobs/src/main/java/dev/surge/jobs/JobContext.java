package dev.surge.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What a running attempt sees: its job, a way to report progress, and the cancellation signal. Cancellation is
 * cooperative: a job cancelled through the API or past its timeout sees {@link #isCancelled()} turn true, the
 * futures it wrapped with {@link #guard} fail with {@link JobCancelledException}, and its slot is given to the
 * next job at once; whatever it returns after that is ignored.
 */
public interface JobContext {

  long id();

  String type();

  String queue();

  /** 1 on the first attempt. */
  int attempt();

  int maxAttempts();

  JsonObject args();

  Vertx vertx();

  /** Stores the progress (0 to 100, clamped) and a short message, and tells the job's event listeners. */
  Future<Void> progress(int percent, String message);

  /**
   * {@link #progress(int, String)} stored through {@code via}, a connection the handler already holds outside a
   * transaction, so a handler that holds one needs no second connection from the pool to report progress.
   */
  Future<Void> progress(io.vertx.sqlclient.SqlClient via, int percent, String message);

  boolean isCancelled();

  /** Why the attempt was cancelled ("cancelled", or "timed out after ... ms"), null while it is not. */
  String cancellationReason();

  /** Completes when the attempt is cancelled; never fails. */
  Future<Void> cancelled();

  /** The same outcome as {@code future}, unless the attempt is cancelled first: then a {@link JobCancelledException}. */
  <T> Future<T> guard(Future<T> future);

  /** For virtual-thread handlers: waits for {@code future}, throwing {@link JobCancelledException} on cancellation. */
  default <T> T await(Future<T> future) {
    return guard(future).await();
  }

  /** Throws {@link JobCancelledException} if the attempt was cancelled: call it between steps of blocking work. */
  default void checkCancelled() {
    if (isCancelled()) {
      throw new JobCancelledException(cancellationReason());
    }
  }
}
