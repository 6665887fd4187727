package dev.surge.pg.impl;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.Connection;
import io.vertx.sqlclient.internal.SqlConnectionInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Statements issued in one go on a connection (a request's twenty reads) are encoded into one buffer and written
 * once. Vert.x writes and flushes each statement as it is issued, so each is rendered into a buffer of its own and
 * sent down the channel alone: on NIO a send, a TCP segment and a wake-up of the server's backend each; on io_uring
 * Netty holds sends back while one is in flight, but the buffers and their passage through the pipeline remain.
 * Netty's {@link FlushConsolidationHandler}, put between the connection and its codec, holds a flush until the
 * connection's event loop has run the task at hand (or, for statements issued in an answer's callback, until the
 * connection's reads are done), at most a pipelining limit of them. docs/BENCHMARKS.md has what it gains.
 *
 * <p>On the connections of the event loops and of the pipelined pool only, so it goes with
 * {@code pg.pipelinedPerEventLoop}: with the key off, Vert.x's own pipelined client writes each statement alone.
 * Tried on the process-wide pool's too (transactions; the worker model's reads), whose statements mostly come from
 * worker threads one task each, it cost the worker model's /db and /queries 2 to 17% in four alternated rounds, and
 * was left off.
 */
final class WritesTogether {

  private static final Logger LOG = LoggerFactory.getLogger(WritesTogether.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private WritesTogether() {
  }

  /** {@link #on(Connection)} on a pool's new connection, given back for the pool. */
  static SqlConnection on(SqlConnection pooled) {
    on(((SqlConnectionInternal) pooled).unwrap());
    return pooled;
  }

  /**
   * Installs it on a connection not yet in use, and gives the connection back; does nothing to a connection not on a
   * socket. A pipeline it cannot find its place in (a Vert.x whose connection names its handlers otherwise) leaves
   * the connection as it was, writing each statement alone, with a warning: never a connection lost for it.
   */
  static Connection on(Connection connection) {
    if (connection instanceof SocketConnectionBase socket) {
      try {
        socket.socket().channelHandlerContext().pipeline().addBefore("handler", "surge-write-together",
          new FlushConsolidationHandler(connection.pipeliningLimit(), true));
      } catch (RuntimeException unexpected) {
        if (WARNED.compareAndSet(false, true)) {
          LOG.warn("PostgreSQL connections write each statement alone: no place for the write consolidation in their "
            + "pipeline ({})", unexpected.toString());
        }
      }
    }
    return connection;
  }
}
