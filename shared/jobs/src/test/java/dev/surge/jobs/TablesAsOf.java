package dev.surge.jobs;

import dev.surge.embedded.EmbeddedPostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A database of its own, on {@code SURGE_TEST_PG_URL}'s server (else an embedded PostgreSQL in {@code dir}), holding
 * the queue's tables as an older version of the library left them: migrated up to {@code version} only, and
 * upgraded when the test says. Closing drops it.
 */
final class TablesAsOf implements AutoCloseable {

  private final EmbeddedPostgresServer embedded;
  private final Vertx vertx = Vertx.vertx();
  private final PgConnectOptions server;
  private final PgConnectOptions connect;
  private final String database = "surge_jobs_old_" + UUID.randomUUID().toString().substring(0, 8);
  private final Pool pool;

  TablesAsOf(Path dir, String version) {
    String url = System.getenv("SURGE_TEST_PG_URL");
    embedded = url == null ? EmbeddedPostgresServer.start(dir.resolve("pg")) : null;
    server = PgConnectOptions.fromUri(url != null ? url : embedded.url());
    execute(server, "CREATE DATABASE " + database);
    connect = new PgConnectOptions(server).setDatabase(database);
    flyway().target(version).load().migrate();
    pool = PgBuilder.pool().connectingTo(connect).using(vertx).build();
  }

  /** Runs every later migration, as a node of this version would have them run. */
  void upgrade() {
    flyway().load().migrate();
  }

  /** A queue of {@code options} on these tables, not started. */
  JobQueue queue(JobQueueOptions options) {
    return JobQueue.create(vertx, pool, connect, new SimpleMeterRegistry(), options);
  }

  RowSet<Row> query(String sql) {
    return await(pool.query(sql).execute());
  }

  static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  @Override
  public void close() {
    try {
      await(pool.close());
      execute(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      await(vertx.close());
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private FluentConfiguration flyway() {
    return Flyway.configure()
      .dataSource("jdbc:postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + database,
        connect.getUser(), connect.getPassword())
      .locations("classpath:db/surge-jobs").table("surge_jobs_schema_history");
  }

  private void execute(PgConnectOptions options, String sql) {
    await(PgConnection.connect(vertx, options).compose(c -> c.query(sql).execute().eventually(c::close)));
  }
}
