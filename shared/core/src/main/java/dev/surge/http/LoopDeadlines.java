package dev.surge.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;

/**
 * Fails with a status (503) each request of an event-loop instance still unanswered at its deadline
 * ({@code http.requestTimeout}), as Vert.x Web's {@code TimeoutHandler} does, without a timer per request.
 *
 * <p>Written here rather than taken from Vert.x Web for its cost: {@code TimeoutHandler} arms a timer for every
 * request (a task in the event loop's priority queue, a future and its listener) and cancels it as the request
 * ends, about 0.45 ms of the event loop's CPU per 1,000 requests at {@code bench}'s {@code /db}, some 2% of a
 * request (docs/BENCHMARKS.md). Every request of an instance has the same timeout, so deadlines come in the order
 * requests do: they wait in one list in that order, each leaving it as its request ends (an end handler, as
 * Vert.x Web's), and one timer at a time is set, for the oldest.
 *
 * <p>Made in the instance's {@code start}, on its event loop, which runs all its requests: the list is that
 * thread's alone. A response ended on another thread (Vert.x runs its end handlers on the thread that ends it)
 * leaves the list through the loop. The worker and virtual-thread models, whose requests run on several threads,
 * keep Vert.x Web's handler.
 */
final class LoopDeadlines {

  private final Vertx vertx;
  private final int status;
  private final Context instance;
  private final Thread loop;
  private Waiting oldest;
  private Waiting newest;
  private boolean timerSet;

  LoopDeadlines(Vertx vertx, int status) {
    this.vertx = vertx;
    this.status = status;
    this.instance = vertx.getOrCreateContext();
    this.loop = Thread.currentThread();
  }

  /** Puts the request in the list until it ends or fails at {@code deadlineNanos}, then passes it on. */
  void handle(RoutingContext ctx, long deadlineNanos) {
    Waiting waiting = new Waiting(ctx, deadlineNanos, vertx.getOrCreateContext());
    waiting.endHandlerId = ctx.addEndHandler(waiting); // first: were it to throw, nothing is left in the list
    if (newest == null) {
      oldest = waiting;
    } else {
      newest.next = waiting;
      waiting.previous = newest;
    }
    newest = waiting;
    waiting.listed = true;
    if (!timerSet) {
      setTimer(deadlineNanos);
    }
    ctx.next();
  }

  /**
   * On the instance's context, not the request's at hand: the timer goes with the instance (cancelled when it is
   * undeployed) and keeps no request's context, its span or its log fields, alive.
   */
  private void setTimer(long deadlineNanos) {
    timerSet = true;
    instance.runOnContext(v -> {
      long delayMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()) + 1; // never early
      vertx.setTimer(Math.max(1, delayMillis), id -> expire());
    });
  }

  /** Fails those past their deadline, then sets the timer for the oldest left (set earlier, for one since ended). */
  private void expire() {
    timerSet = false;
    long now = System.nanoTime();
    while (oldest != null && oldest.deadlineNanos - now <= 0) {
      Waiting late = oldest;
      remove(late);
      if (late.ctx.removeEndHandler(late.endHandlerId)) {
        late.context.runOnContext(v -> fail(late.ctx)); // on the request's own context: its logs, its span
      }
    }
    if (oldest != null) {
      setTimer(oldest.deadlineNanos);
    }
  }

  private void fail(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    if (!ctx.request().isEnded()) {
      ctx.request().resume();
    }
    ctx.fail(status);
  }

  private void remove(Waiting waiting) {
    if (!waiting.listed) {
      return;
    }
    waiting.listed = false;
    if (waiting.previous == null) {
      oldest = waiting.next;
    } else {
      waiting.previous.next = waiting.next;
    }
    if (waiting.next == null) {
      newest = waiting.previous;
    } else {
      waiting.next.previous = waiting.previous;
    }
    waiting.previous = null;
    waiting.next = null;
  }

  /** A request in the list; its own end handler, which takes it out. */
  private final class Waiting implements Handler<AsyncResult<Void>> {
    final RoutingContext ctx;
    final long deadlineNanos;
    final Context context;
    int endHandlerId = -1;
    boolean listed;
    Waiting previous;
    Waiting next;

    Waiting(RoutingContext ctx, long deadlineNanos, Context context) {
      this.ctx = ctx;
      this.deadlineNanos = deadlineNanos;
      this.context = context;
    }

    @Override
    public void handle(AsyncResult<Void> ended) {
      if (Thread.currentThread() == loop) {
        remove(this);
      } else {
        instance.runOnContext(v -> remove(this));
      }
    }
  }
}
