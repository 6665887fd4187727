package dev.surge.arbiter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every {@link SupervisedVerticle} keeps the same way: its counts, where and since when it serves, and a
 * hand-off that starts once, on the instance's context, however often it is asked for.
 */
public abstract class SupervisedVerticleBase extends VerticleBase implements SupervisedVerticle {

  /** Requests (or messages) answered. */
  protected final AtomicLong served = new AtomicLong();
  /** Requests (or messages) being handled. */
  protected final AtomicInteger inFlight = new AtomicInteger();
  private volatile String thread;
  private volatile Instant startedAt;
  private Future<Void> handedOff; // only touched on the instance's context

  /** To be called once the instance serves, with the name of its thread. */
  protected final void serving(String thread) {
    this.thread = thread;
    this.startedAt = Instant.now();
  }

  @Override
  public final long served() {
    return served.get();
  }

  @Override
  public final int inFlight() {
    return inFlight.get();
  }

  @Override
  public final String thread() {
    return thread;
  }

  @Override
  public final Instant startedAt() {
    return startedAt;
  }

  @Override
  public final Future<Void> handOff(Duration grace) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (handedOff == null) {
        handedOff = leave(grace);
      }
      handedOff.onComplete(done);
    });
    return done.future();
  }

  /** The hand-off under way or done; null before any. Read on the instance's context. */
  protected final Future<Void> handedOff() {
    return handedOff;
  }

  /** Takes no new work and finishes what it has, within {@code grace}; runs once, on the instance's context. */
  protected abstract Future<Void> leave(Duration grace);
}
