package dev.surge.pg.impl;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.CloseFuture;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.impl.ConnectionFactoryBase;
import io.vertx.sqlclient.impl.tracing.QueryReporter;
import io.vertx.sqlclient.internal.Connection;
import io.vertx.sqlclient.internal.SqlClientBase;
import io.vertx.sqlclient.internal.pool.PoolImpl;
import io.vertx.sqlclient.internal.command.CommandBase;
import io.vertx.sqlclient.internal.command.QueryCommandBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipelined client whose statements, issued on an event loop, go to a connection of that loop's own: no lease
 * from a pool per statement. Statements issued elsewhere (a worker or a virtual thread), those of a loop whose
 * connection is not up (the first, or one the server dropped: the loop connects again in the background, at most
 * once a second after a failure), and those beyond the connection's pipelining limit go to {@code fallback}, the
 * pipelined pool, whose wait queue and connection timeout bound them.
 *
 * <p>Each statement is reported (metrics, tracing) and answered on the caller's context, as the pool does, not on
 * the connection's: what runs after a read stays in its request's context.
 *
 * <p>Written here rather than taken from Vert.x: its pipelined client is a pool, which already prefers a connection
 * of the caller's loop, but acquires, leases and meters one for every statement (docs/BENCHMARKS.md, "A connection
 * of each event loop's own"); Vert.x has no client bound to the caller's loop.
 */
public final class LoopLocalClient extends SqlClientBase {

  private static final Logger LOG = LoggerFactory.getLogger(LoopLocalClient.class);
  private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final VertxInternal vertx;
  private final PgConnectOptions connect;
  /** The pipelined pool: reads off the event loops, and a loop's while its connection is not up or is full. */
  private final PoolImpl fallback;
  /** One for every connection: a factory per connection would leave its network client behind each time. */
  private final ConnectionFactoryBase<PgConnectOptions> factory;
  /** The pool and the factory. */
  private final CloseFuture closing;
  /** Built once, read by every loop: one entry per event loop of the Vert.x. */
  private final Map<EventLoop, Loop> loops = new IdentityHashMap<>();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private volatile boolean closed;

  private LoopLocalClient(VertxInternal vertx, PgConnectOptions connect, ConnectionFactoryBase<PgConnectOptions> factory,
                          PoolImpl fallback, CloseFuture closing) {
    super(PgDriver.INSTANCE);
    this.vertx = vertx;
    this.connect = connect;
    this.factory = factory;
    this.fallback = fallback;
    this.closing = closing;
    for (EventExecutor executor : vertx.nettyEventLoopGroup()) {
      EventLoop loop = (EventLoop) executor;
      loops.put(loop, new Loop(vertx.contextBuilder().withEventLoop(loop).build()));
    }
  }

  /**
   * The client, and its pipelined pool of {@code pool} (as Vert.x's {@code PgBuilder.client()} builds it, not shared
   * by name): one connection factory for both.
   */
  public static LoopLocalClient create(Vertx vertx, PoolOptions pool, PgConnectOptions connect) {
    VertxInternal vx = (VertxInternal) vertx;
    @SuppressWarnings("unchecked")
    ConnectionFactoryBase<PgConnectOptions> factory = (ConnectionFactoryBase<PgConnectOptions>)
      PgDriver.INSTANCE.createConnectionFactory(vertx, new NetClientOptions());
    CloseFuture closing = new CloseFuture();
    PoolImpl fallback = new PoolImpl(vx, PgDriver.INSTANCE, true, pool, null, null,
      context -> factory.connect(context, connect).map(WritesTogether::on), null, closing);
    fallback.init();
    closing.add(factory);
    return new LoopLocalClient(vx, connect, factory, fallback, closing);
  }

  @Override
  protected ContextInternal context() {
    return vertx.getOrCreateContext();
  }

  @Override
  protected <T> PromiseInternal<T> promise() {
    return vertx.promise();
  }

  @Override
  public <R> void schedule(CommandBase<R> cmd, Completable<R> handler) {
    Loop loop = closed ? null : loopOfCaller();
    Connection connection = loop == null ? null : loop.take();
    if (connection == null) {
      fallback.schedule(cmd, handler);
      return;
    }
    // As Vert.x's pooled connection reports a statement: on the caller's context, so its span is the request's.
    ContextInternal caller = vertx.getOrCreateContext();
    QueryReporter reporter = null;
    VertxTracer<?, ?> tracer = vertx.tracer();
    if (cmd instanceof QueryCommandBase<?> query && (tracer != null || connection.metrics() != null)) {
      reporter = new QueryReporter(tracer, connection.metrics(), caller, query, connection);
      reporter.before();
    }
    QueryReporter reported = reporter;
    connection.schedule(cmd, (result, failure) -> {
      loop.inFlight--;
      // Answered on the caller's context, at once: the caller runs on this loop's thread, so the answer need not go
      // through the loop's task queue (the pool's way) to reach it.
      caller.emit(null, v -> {
        if (reported != null) {
          reported.after(result, failure);
        }
        handler.complete(result, failure);
      });
    });
  }

  /** The calling event loop's entry; null off an event loop (a worker or a virtual thread). */
  private Loop loopOfCaller() {
    ContextInternal current = (ContextInternal) Vertx.currentContext();
    if (current == null || !current.isEventLoopContext() || !current.nettyEventLoop().inEventLoop()) {
      return null;
    }
    return loops.get(current.nettyEventLoop());
  }

  @Override
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> loopsClosed = new ArrayList<>();
    for (Loop loop : loops.values()) {
      Promise<Void> done = Promise.promise();
      loop.context.runOnContext(v -> loop.close().onComplete(done));
      loopsClosed.add(done.future());
    }
    return Future.join(loopsClosed).transform(ar -> this.closing.close());
  }

  private void warn(String what, Throwable cause) {
    long last = lastWarning.get();
    long now = System.nanoTime();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      LOG.warn("{} (said again in a minute at most); its reads go to the pipelined pool meanwhile: {}", what,
        cause.getMessage());
    } else {
      LOG.debug("{}: {}", what, cause.getMessage());
    }
  }

  /** One event loop's connection; its fields are read and written on that loop's thread only. */
  private final class Loop implements Connection.Holder {

    private final ContextInternal context;
    private Connection connection;
    private int inFlight;
    /** The connect under way, if any: a second is not started, and closing waits for it. */
    private Future<Connection> opening;
    private long retryAt;

    private Loop(ContextInternal context) {
      this.context = context;
    }

    /** The connection for one more statement, counted in flight; null when it is not up or is full. */
    private Connection take() {
      Connection up = connection;
      if (up == null) {
        connect();
        return null;
      }
      if (inFlight >= up.pipeliningLimit()) {
        return null;
      }
      inFlight++;
      return up;
    }

    private void connect() {
      if (opening != null || closed || retryAt != 0 && System.nanoTime() - retryAt < 0) {
        return;
      }
      // On the loop's own context (not the caller's, a request's): the connection's events run there.
      opening = factory.connect(context, connect).map(WritesTogether::on);
      opening.onComplete(ar -> {
        opening = null;
        if (ar.failed()) {
          retryAt = System.nanoTime() + RETRY_AFTER_NANOS;
          warn("An event loop's read connection to PostgreSQL failed to open", ar.cause());
          return;
        }
        Connection opened = ar.result();
        if (closed) {
          opened.close(this, Promise.promise());
          return;
        }
        retryAt = 0;
        opened.init(this);
        connection = opened;
      });
    }

    private Future<Void> close() {
      Future<?> pending = opening == null ? Future.succeededFuture() : opening;
      return pending.transform(ignored -> {
        Connection open = connection;
        connection = null;
        if (open == null) {
          return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        open.close(this, done);
        return done.future();
      });
    }

    @Override
    public void handleClosed() {
      // Its statements in flight fail with it (a 503 each); the next read on this loop connects again.
      connection = null;
    }

    @Override
    public void handleException(Throwable err) {
      warn("An event loop's read connection to PostgreSQL failed", err);
    }

    @Override
    public void handleEvent(Object event) {
      // Notifications and notices: this connection listens to nothing.
    }
  }
}
