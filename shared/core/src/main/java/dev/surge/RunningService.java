package dev.surge;

import dev.surge.arbiter.Arbiter;
import dev.surge.config.ChassisKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** A started service: its port, its context, and its shutdown. */
public final class RunningService {

  private static final Logger LOG = LoggerFactory.getLogger(RunningService.class);

  private final Vertx vertx;
  private final ServiceContextImpl context;
  private final int httpPort;
  private final Arbiter arbiter;
  private final String name;
  private final AtomicLong graceDeadline;
  private Future<Void> shutdown;
  private Future<Void> closed;

  RunningService(ServiceContextImpl context, int httpPort, Arbiter arbiter, AtomicLong graceDeadline) {
    this.vertx = context.vertx();
    this.context = context;
    this.httpPort = httpPort;
    this.arbiter = arbiter;
    this.name = context.config().get(ChassisKeys.SERVICE_NAME);
    this.graceDeadline = graceDeadline;
  }

  public int httpPort() {
    return httpPort;
  }

  public ServiceContext context() {
    return context;
  }

  /** The process's registries, which a service started beside this one gets its own from. */
  dev.surge.metrics.Metrics metrics() {
    return context.metrics();
  }

  /** The process's tracing, or null when it is off. */
  dev.surge.tracing.Tracing tracing() {
    return context.tracing();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The supervisor of the process's instances (shared by the services of one process). */
  public Arbiter arbiter() {
    return arbiter;
  }

  /** The service's name ({@code service.name}), which its verticles are supervised under. */
  public String name() {
    return name;
  }

  /**
   * Graceful shutdown, as on SIGTERM: readiness DOWN at once; after {@code shutdown.delay} the listener closes
   * and in-flight requests have {@code shutdown.grace} to finish; then pools close. Calling it again returns
   * the same future.
   */
  public synchronized Future<Void> shutdown() {
    if (shutdown != null) {
      return shutdown;
    }
    Duration delay = context.config().get(ChassisKeys.SHUTDOWN_DELAY);
    Duration grace = context.config().get(ChassisKeys.SHUTDOWN_GRACE);
    context.readiness().startDraining();
    LOG.info("Draining: readiness DOWN, event-bus consumers withdrawn; the listener closes in {} ms, then in-flight "
      + "requests have {} ms", delay.toMillis(), grace.toMillis());
    Future<Void> withdrawn = context.withdrawConsumers();
    Promise<Void> delayed = Promise.promise();
    if (delay.isZero()) {
      delayed.complete();
    } else {
      vertx.setTimer(delay.toMillis(), id -> delayed.complete());
    }
    Future<Void> drained = delayed.future().compose(v -> {
      graceDeadline.set(System.nanoTime() + grace.toNanos());
      return Future.join(arbiter.stop(name), drainComponents(context, grace), withdrawn).mapEmpty();
    }).compose(v -> {
      Future<Void> consumers = Future.succeededFuture();
      for (String id : context.deployments()) {
        consumers = consumers.compose(x -> vertx.undeploy(id).otherwiseEmpty());
      }
      return consumers;
    });
    Promise<Void> bounded = Promise.promise();
    drained.onComplete(ar -> bounded.tryComplete());
    // HttpServer.shutdown closes connections at the grace's end; this guards a verticle whose stop never ends.
    vertx.setTimer(delay.plus(grace).toMillis() + 1000, id -> {
      if (bounded.tryComplete()) {
        LOG.warn("Grace period over with requests still in flight: closing now");
      }
    });
    shutdown = bounded.future().compose(v -> closeResources());
    return shutdown;
  }

  /**
   * Immediate close: a second SIGTERM, or a test tearing down. The components hand back their work at once (running
   * jobs are cancelled and handed back to the queue, if PostgreSQL answers within a few seconds). Idempotent.
   */
  public Future<Void> close() {
    context.readiness().startDraining();
    synchronized (this) {
      if (closed != null) { // closed already (a shutdown that finished, say): Vert.x may be gone
        return closed;
      }
    }
    if (context.components().isEmpty()) {
      return closeResources();
    }
    Promise<Void> released = Promise.promise();
    drainComponents(context, Duration.ZERO).onComplete(ar -> released.tryComplete());
    vertx.setTimer(5000, id -> released.tryComplete());
    return released.future().compose(v -> closeResources());
  }

  private synchronized Future<Void> closeResources() {
    if (closed == null) {
      // Undeployed here also when Vert.x closes next: the arbiter then starts nothing more (no recycle, no redeploy).
      Future<Void> undeployed = arbiter.stop(name).otherwiseEmpty();
      closed = undeployed.compose(v -> release(context)).onSuccess(v -> LOG.info("Stopped"));
    }
    return closed;
  }

  private static Future<Void> drainComponents(ServiceContextImpl context, Duration grace) {
    return Future.join(context.components().stream().map(c -> c.drain(grace)).toList()).mapEmpty();
  }

  /** The components closed in reverse order of their start, each whether or not the one after it closed. */
  private static Future<Void> closeComponents(ServiceContextImpl context) {
    List<Component.Running> components = new ArrayList<>(context.components());
    Collections.reverse(components);
    Future<Void> closed = Future.succeededFuture();
    for (Component.Running component : components) {
      closed = closed.transform(ar -> component.close().otherwiseEmpty());
    }
    return closed;
  }

  /**
   * Closes the worker executors, the components (the job queue, Redis, the pool), then Vert.x if the service owns
   * it; also what a failed start does.
   */
  static Future<Void> release(ServiceContextImpl context) {
    context.executors().forEach(WorkerExecutor::close);
    if (!context.ownsVertx()) {
      Future<Void> stopped = drainComponents(context, Duration.ZERO).otherwiseEmpty();
      for (String id : context.deployments()) {
        stopped = stopped.compose(x -> context.vertx().undeploy(id).otherwiseEmpty());
      }
      return stopped.eventually(() -> closeComponents(context))
        .andThen(ar -> context.metrics().release(context.registry()));
    }
    dev.surge.tracing.Tracing tracing = context.tracing();
    return closeVertx(context.vertx(), closeComponents(context), tracing == null ? () -> { } : tracing::close);
  }

  /**
   * Closes Vert.x, once {@code after} completes, then runs {@code then}, from a thread of its own: a future bound to one of its event
   * loops would never complete once those loops are gone, so the returned one is bound to none.
   */
  static Future<Void> closeVertx(Vertx vertx, Future<?> after, Runnable then) {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    after.onComplete(ignored -> Thread.ofPlatform().name("surge-close").start(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().join();
      } catch (RuntimeException e) {
        // closed as far as it could be: what follows runs all the same
      }
      try {
        then.run(); // the spans still queued go out, from this thread (not Netty's), for at most 5 s
      } finally {
        closed.complete(null);
      }
    }));
    return Future.fromCompletionStage(closed);
  }
}
