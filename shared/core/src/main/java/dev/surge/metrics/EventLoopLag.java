package dev.surge.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs a task it has been given every 100 ms: the time a loop spends busy (a handler
 * running long, or blocked) shows as lag, where CPU figures hide which loop and for how long. Recorded as
 * {@code surge_eventloop_lag_seconds{loop}}, whose max and histogram a dashboard plots. Vert.x itself only warns
 * of a loop blocked past {@code vertx.maxEventLoopExecuteTime}.
 */
public final class EventLoopLag {

  public static final long PERIOD_MS = 100;

  private EventLoopLag() {
  }

  public static void watch(Vertx vertx, MeterRegistry registry) {
    long period = TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
    int index = 0;
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      Timer lag = Timer.builder("surge_eventloop_lag")
        .description("How late an event loop ran a task due every " + PERIOD_MS + " ms")
        .tag("loop", Integer.toString(index++))
        .register(registry);
      long[] due = {System.nanoTime() + period};
      loop.scheduleAtFixedRate(() -> {
        lag.record(Math.max(0, System.nanoTime() - due[0]), TimeUnit.NANOSECONDS);
        due[0] += period; // a fixed rate: runs delayed by a busy loop catch up, each measured against its own time
      }, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }
  }
}
