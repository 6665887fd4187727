package dev.surge.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps the requests one HTTP instance handles at once, holds a bounded number waiting for a slot, and answers
 * 503 with {@code Retry-After} at once when both are full: gunicorn's worker_connections and cheroot's bounded
 * accept queue. Vert.x has no such limit, so without this an overloaded service queues without bound.
 *
 * <p>One shedder belongs to one verticle instance and is only touched from that instance's context.
 */
final class OverloadShedder implements Handler<RoutingContext> {

  /** Process-wide counts over every instance, for the metrics; striped, so event loops do not contend on them. */
  static final class Stats {
    final LongAdder inFlight = new LongAdder();
    final LongAdder queued = new LongAdder();
    final Counter shed;

    Stats(MeterRegistry registry) {
      Gauge.builder("surge.http.inflight", inFlight, LongAdder::sum)
        .description("Requests being handled, over all HTTP instances").register(registry);
      Gauge.builder("surge.http.queued", queued, LongAdder::sum)
        .description("Requests waiting for a slot, over all HTTP instances").register(registry);
      shed = Counter.builder("surge.http.shed").description("Requests answered 503 because the service was full")
        .register(registry);
    }
  }

  private final int maxInFlight;
  private final int maxQueued;
  private final long retryAfterSeconds;
  private final Stats stats;
  private final ArrayDeque<RoutingContext> waiting = new ArrayDeque<>();
  private int inFlight;

  OverloadShedder(int maxInFlight, int maxQueued, long retryAfterSeconds, Stats stats) {
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.retryAfterSeconds = retryAfterSeconds;
    this.stats = stats;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (inFlight < maxInFlight) {
      admit(ctx);
    } else if (waiting.size() < maxQueued) {
      ctx.request().pause();
      waiting.add(ctx);
      stats.queued.increment();
      // A client that gives up while waiting frees its place in the queue at once.
      ctx.addEndHandler(ignored -> {
        if (waiting.remove(ctx)) {
          stats.queued.decrement();
        }
      });
    } else {
      stats.shed.increment();
      Problem.unavailable("overloaded", "Service overloaded",
        "The service is handling as many requests as it accepts; retry later", retryAfterSeconds).send(ctx);
    }
  }

  private void admit(RoutingContext ctx) {
    inFlight++;
    stats.inFlight.increment();
    ctx.addEndHandler(ignored -> release());
    ctx.next();
  }

  private void release() {
    inFlight--;
    stats.inFlight.decrement();
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      RoutingContext next = waiting.poll();
      stats.queued.decrement();
      // A waiting request may have timed out (already answered 503) or its client may have gone.
      if (next.response().ended() || next.response().closed()) {
        continue;
      }
      next.request().resume();
      admit(next);
    }
  }
}
