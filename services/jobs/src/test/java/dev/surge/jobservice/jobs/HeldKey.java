package dev.surge.jobservice.jobs;

import dev.surge.jobs.JobRequest;
import dev.surge.pg.JobsComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;

import java.time.Instant;

import static dev.surge.testing.TestService.await;

/**
 * A job of the jobs service holding a unique key in a transaction left open: an enqueue with the same key waits on
 * it, its INSERT on its way to PostgreSQL, until the transaction ends. Closing it rolls back, and that enqueue goes on.
 */
final class HeldKey implements AutoCloseable {

  /** A job's body that stays live (it runs in 2100), with the key. */
  static JsonObject body(String key) {
    return new JsonObject().put("type", "noop").put("runAt", "2100-01-01T00:00:00Z").put("uniqueKey", key);
  }

  private final Pool pool;
  private final SqlConnection connection;
  private final Transaction transaction;

  HeldKey(TestService service, String key) {
    pool = PostgresComponent.pool(service.running().context());
    connection = await(pool.getConnection());
    transaction = await(connection.begin());
    await(JobsComponent.queue(service.running().context()).enqueue(connection,
      new JobRequest("noop").setRunAt(Instant.parse("2100-01-01T00:00:00Z")).setUniqueKey(key)));
  }

  /** Waits, for up to 30 seconds, until an enqueue waits on the key, and ends its connection under it. */
  void cutOffTheEnqueueWaiting() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      int cut = await(pool.query("""
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO surge_jobs%'
        """).execute()).size();
      if (cut > 0) {
        return;
      }
      JobsApi.pause(20);
    }
    throw new AssertionError("no enqueue waited on the key");
  }

  @Override
  public void close() {
    await(transaction.rollback());
    await(connection.close());
  }
}
