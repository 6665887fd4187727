package dev.surge.jobs.impl;

import dev.surge.ServiceDefinition;
import dev.surge.pg.JobsComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.surge.testing.TestService.await;

/**
 * A node with the job queue's tables and no handlers (it claims nothing itself), and a connection to its database
 * that a test drives the queue's statements through; on request ({@link #explain()}) their plans, nested ones
 * too, come back as notices: PostgreSQL's auto_explain, loaded for this session only.
 */
final class JobsDatabase implements AutoCloseable {

  final PgConnection connection;
  private final TestService service;
  private final List<String> plans = new CopyOnWriteArrayList<>();

  JobsDatabase(String serviceName) {
    service = TestService.start(ServiceDefinition.builder(serviceName).defaultPort(0)
      .http(ctx -> router -> router.get("/").handler(rc -> rc.end("ok")))
      .use(PostgresComponent.create()).use(JobsComponent.of((ctx, jobs) -> { })).build());
    connection = await(PgConnection.connect(service.running().vertx(), PgConnectOptions.fromUri(service.pgUrl())));
    connection.noticeHandler(notice -> plans.add(notice.getMessage()));
  }

  /**
   * Starts explaining every statement from here on. auto_explain ships with PostgreSQL (Debian's server package and
   * the embedded one alike); a server without it fails the test rather than skip it.
   */
  void explain() {
    await(connection.query("LOAD 'auto_explain'").execute());
    await(connection.query("""
        SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on;
        SET auto_explain.log_level = notice; SET client_min_messages = notice""").execute());
  }

  /**
   * Leaves the statistics of a table that held no live row when analyzed, its pages kept: the planner then counts
   * on one row in surge_jobs whatever it holds later (a quiet spell after the old jobs were pruned, then a burst).
   */
  static void analyzedEmpty(SqlClient client, int rows) {
    await(client.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms)
        SELECT 'stats.old', 'old', 'completed', 5, 60000 FROM generate_series(1, $1)""").execute(Tuple.of(rows)));
    await(client.query("DELETE FROM surge_jobs").execute());
    await(client.query("ANALYZE surge_jobs").execute());
  }

  /** The database's URL. */
  String pgUrl() {
    return service.pgUrl();
  }

  /** Another session on the same database. */
  PgConnection connect() {
    return await(PgConnection.connect(service.running().vertx(), PgConnectOptions.fromUri(service.pgUrl())));
  }

  /** The plans explained since the last call, one text. */
  String takePlans() {
    String all = String.join("\n", plans);
    plans.clear();
    return all;
  }

  @Override
  public void close() {
    await(connection.close());
    service.close();
  }
}
