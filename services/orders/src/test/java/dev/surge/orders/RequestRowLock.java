package dev.surge.orders;

import dev.surge.testing.SurgeTestEnvironment;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An order of four units for ivy, placed under a key whose request row the test holds locked, from a connection of
 * its own, once it is claimed: the order's transaction, which answers the request, then waits in PostgreSQL: sent,
 * and neither committed nor rolled back, for as long as the test likes. The catalog's reservations are held until
 * the row is locked, so the transaction cannot come first.
 */
final class RequestRowLock implements AutoCloseable {

  /** The order's answer, to come. */
  final Future<HttpResponse<Buffer>> answer;
  private final Connection connection;
  private final String url;

  RequestRowLock(CatalogStandIn catalog, String idempotencyKey) throws Exception {
    this.url = catalog.orders.pgUrl();
    catalog.holdReservations();
    answer = catalog.send(idempotencyKey, 4);
    while (catalog.asked.get() == 0) { // claimed: the stock is being reserved, held
      Thread.sleep(5);
    }
    connection = SurgeTestEnvironment.jdbc(url);
    connection.setAutoCommit(false);
    try (PreparedStatement lock = connection.prepareStatement(
      "SELECT 1 FROM order_requests WHERE idempotency_key = ? FOR UPDATE")) {
      lock.setString(1, idempotencyKey);
      lock.executeQuery().close();
    }
    catalog.answerHeldReservations();
  }

  /**
   * The process id of the backend waiting for the lock to answer the request (an order's transaction), once one
   * is (up to 5 s); 0 when none came.
   */
  int waiter() throws Exception {
    return waiterOtherThan(0);
  }

  /** As {@link #waiter()}, leaving out backend {@code pid} (one terminated, on its way out). */
  int waiterOtherThan(int pid) throws Exception {
    return SurgeTestEnvironment.lockWaiter(url, "UPDATE order_requests", pid);
  }

  /** Ends the waiting backend's session, as a PostgreSQL restart or a broken connection does. */
  void terminate(int pid) throws Exception {
    try (Connection c = SurgeTestEnvironment.jdbc(url);
         PreparedStatement kill = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      kill.setInt(1, pid);
      kill.executeQuery().close();
    }
  }

  @Override
  public void close() throws SQLException {
    connection.rollback();
    connection.close();
  }
}
