package dev.surge.jobservice.reports;

import dev.surge.jobs.JobCancelledException;
import dev.surge.jobs.JobContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns for exports to hold a database connection: at most {@code permits} at once, the others wait in arrival
 * order holding nothing, and one cancelled while it waits leaves the line. Exports run on several event loops, so
 * it is thread-safe, and a waiter is resumed on its own context. Vert.x has no asynchronous semaphore (its
 * shared-data locks admit one holder at a time), hence this small one.
 */
final class ExportPermits {

  private record Waiter(Context context, Promise<Void> turn) {
  }

  private final int permits;
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private int held;

  ExportPermits(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    this.permits = permits;
  }

  /** Completes when the export may take a connection; every success must be followed by {@link #release()}. */
  Future<Void> acquire(JobContext job) {
    Waiter waiter;
    synchronized (this) {
      if (held < permits) {
        held++;
        return Future.succeededFuture();
      }
      waiter = new Waiter(job.vertx().getOrCreateContext(), Promise.promise());
      waiting.addLast(waiter);
    }
    job.cancelled().onSuccess(v -> {
      boolean left;
      synchronized (this) {
        left = waiting.remove(waiter);
      }
      if (left) {
        waiter.context().runOnContext(x -> waiter.turn().tryFail(new JobCancelledException(job.cancellationReason())));
      }
    });
    return waiter.turn().future();
  }

  /** Hands the turn to the longest waiter, or gives it back. */
  void release() {
    Waiter next;
    synchronized (this) {
      next = waiting.pollFirst();
      if (next == null) {
        held--;
        return;
      }
    }
    next.context().runOnContext(v -> next.turn().complete());
  }
}
