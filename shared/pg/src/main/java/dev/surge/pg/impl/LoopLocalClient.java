package dev.surge.pg.impl;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A pipelined client whose statements, issued on an event loop, go to a connection of that loop's own: no lease
 * from a pool per statement, no hop to another thread. Statements issued elsewhere (a worker or a virtual thread),
 * and those of a loop whose connection is not up (the first, or one the server dropped), go to {@code fallback},
 * the pipelined pool, while the loop connects in the background (at most once a second after a failure).
 *
 * <p>Written here rather than taken from Vert.x: its pipelined client is a pool, which already prefers a
 * connection of the caller's loop, but acquires, leases and meters it for every statement: a quarter of the event
 * loops' time at TechEmpower's /queries (docs/BENCHMARKS.md). What the pool bounds (its wait queue) is bounded here
 * by the statements in flight on the loop, which the HTTP server's in-flight limit bounds.
 */
public final class LoopLocalClient implements SqlClient {

  private static final Logger LOG = LoggerFactory.getLogger(LoopLocalClient.class);
  private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final VertxInternal vertx;
  private final PgConnectOptions connect;
  private final SqlClient fallback;
  /** Built once, read by every loop: one entry per event loop of the Vert.x. */
  private final Map<EventLoop, Loop> loops = new IdentityHashMap<>();
  private volatile boolean closed;

  public LoopLocalClient(Vertx vertx, PgConnectOptions connect, SqlClient fallback) {
    this.vertx = (VertxInternal) vertx;
    this.connect = connect;
    this.fallback = fallback;
    for (EventExecutor executor : this.vertx.nettyEventLoopGroup()) {
      EventLoop loop = (EventLoop) executor;
      loops.put(loop, new Loop(this.vertx.contextBuilder().withEventLoop(loop).build()));
    }
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return client().query(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return client().preparedQuery(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return client().preparedQuery(sql, options);
  }

  /** The connection of the calling event loop when it is up; else the pool. */
  private SqlClient client() {
    ContextInternal current = (ContextInternal) Vertx.currentContext();
    if (closed || current == null || !current.isEventLoopContext() || !current.nettyEventLoop().inEventLoop()) {
      return fallback;
    }
    Loop loop = loops.get(current.nettyEventLoop());
    if (loop == null) {
      return fallback;
    }
    PgConnection connection = loop.connection;
    if (connection != null) {
      return connection;
    }
    loop.connect();
    return fallback;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (Loop loop : loops.values()) {
      Promise<Void> done = Promise.promise();
      loop.context.runOnContext(v -> {
        PgConnection connection = loop.connection;
        loop.connection = null;
        (connection == null ? Future.<Void>succeededFuture() : connection.close()).onComplete(done);
      });
      closing.add(done.future());
    }
    closing.add(fallback.close());
    return Future.join(closing).mapEmpty();
  }

  /** One event loop's connection; its fields are read and written on that loop's thread only. */
  private final class Loop {

    private final ContextInternal context;
    private PgConnection connection;
    private boolean connecting;
    private long retryAt;

    private Loop(ContextInternal context) {
      this.context = context;
    }

    private void connect() {
      if (connecting || closed || retryAt != 0 && System.nanoTime() - retryAt < 0) {
        return;
      }
      connecting = true;
      // On the loop's own context (not the caller's, a request's): the connection's events run there.
      context.runOnContext(v -> PgConnection.connect(vertx, connect).onComplete(ar -> {
        connecting = false;
        if (ar.failed()) {
          retryAt = System.nanoTime() + RETRY_AFTER_NANOS;
          LOG.debug("Connecting the event loop's read connection failed, reads go to the pool meanwhile: {}",
            ar.cause().getMessage());
          return;
        }
        PgConnection opened = ar.result();
        if (closed) {
          opened.close();
          return;
        }
        retryAt = 0;
        connection = opened;
        opened.closeHandler(closedNow -> {
          if (connection == opened) {
            connection = null;
          }
        });
        opened.exceptionHandler(err -> LOG.debug("The event loop's read connection failed: {}", err.getMessage()));
      }));
    }
  }
}
