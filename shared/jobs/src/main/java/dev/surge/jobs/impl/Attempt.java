package dev.surge.jobs.impl;

import dev.surge.jobs.JobCancelledException;
import dev.surge.jobs.JobContext;
import dev.surge.jobs.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** One attempt of a claimed job: what its handler sees, and what the dispatcher tracks while it runs. */
final class Attempt implements JobContext {

  /**
   * What the dispatcher keys an attempt by: a job's id alone is not enough, because a node that lost a job's lease
   * (cut off from PostgreSQL for longer than the lease) can claim the same job again while its first attempt still
   * runs, and the first attempt's outcome must not end the second.
   */
  record Key(long id, int attempt) {
  }

  final Key key;
  final long id;
  final String type;
  final String queue;
  final int attempt;
  final int maxAttempts;
  final long timeoutMs;
  final JsonObject args;
  final JobHandler handler;
  final ThreadingModel model;
  /** The traceparent of the span that enqueued the job, or null. */
  final String traceParent;
  private final Vertx vertx;
  private final JobQueueImpl jobs;
  private final Promise<Void> cancelled = Promise.promise();
  private volatile String cancellationReason;
  long startedNanos;
  long runNanos;
  JsonObject result;
  long timeoutTimer = -1;
  /** Set by the dispatcher when a lease renewal finds the job no longer held by this attempt. */
  boolean leaseLost;

  Attempt(long id, String type, String queue, int attempt, int maxAttempts, long timeoutMs, JsonObject args,
          JobHandler handler, ThreadingModel model, String traceParent, Vertx vertx, JobQueueImpl jobs) {
    this.traceParent = traceParent;
    this.key = new Key(id, attempt);
    this.id = id;
    this.type = type;
    this.queue = queue;
    this.attempt = attempt;
    this.maxAttempts = maxAttempts;
    this.timeoutMs = timeoutMs;
    this.args = args;
    this.handler = handler;
    this.model = model;
    this.vertx = vertx;
    this.jobs = jobs;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public String queue() {
    return queue;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public JsonObject args() {
    return args;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Future<Void> progress(int percent, String message) {
    return progress(jobs.pool(), percent, message);
  }

  @Override
  public Future<Void> progress(io.vertx.sqlclient.SqlClient via, int percent, String message) {
    if (isCancelled()) {
      return Future.failedFuture(new JobCancelledException(cancellationReason));
    }
    int clamped = Math.max(0, Math.min(100, percent));
    return jobs.storeProgress(via, this, clamped, message);
  }

  @Override
  public boolean isCancelled() {
    return cancellationReason != null;
  }

  @Override
  public String cancellationReason() {
    return cancellationReason;
  }

  @Override
  public Future<Void> cancelled() {
    return cancelled.future();
  }

  @Override
  public <T> Future<T> guard(Future<T> future) {
    if (isCancelled()) {
      return Future.failedFuture(new JobCancelledException(cancellationReason));
    }
    Promise<T> guarded = Promise.promise();
    future.onComplete(ar -> {
      if (ar.succeeded()) {
        guarded.tryComplete(ar.result());
      } else {
        guarded.tryFail(ar.cause());
      }
    });
    cancelled.future().onSuccess(v -> guarded.tryFail(new JobCancelledException(cancellationReason)));
    return guarded.future();
  }

  /** A failure of this attempt as it may be stored, logged or traced: its secret arguments masked, bounded. */
  String errorText(Throwable failure) {
    return jobs.errorText(this, JobRunnerVerticle.describe(failure));
  }

  /** Signals the handler; the first reason wins. */
  void cancel(String reason) {
    synchronized (this) {
      if (cancellationReason != null) {
        return;
      }
      cancellationReason = reason;
    }
    cancelled.tryComplete();
  }
}
