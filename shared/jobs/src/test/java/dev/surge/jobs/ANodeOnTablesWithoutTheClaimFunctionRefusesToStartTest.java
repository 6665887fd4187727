package dev.surge.jobs;

import dev.surge.embedded.EmbeddedPostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims go through the schema's {@code surge_jobs_claim}, which migration V3 adds. An application that runs the
 * queue's migrations itself and stopped at V2 would otherwise start a node whose every claim fails, its jobs
 * piling up with nothing above DEBUG in the log: the node refuses to start and says which migration is missing.
 */
class ANodeOnTablesWithoutTheClaimFunctionRefusesToStartTest {

  @Test
  void theStartFailsNamingTheMissingMigration(@TempDir Path dir) {
    String url = System.getenv("SURGE_TEST_PG_URL");
    EmbeddedPostgresServer embedded = url == null ? EmbeddedPostgresServer.start(dir.resolve("pg")) : null;
    Vertx vertx = Vertx.vertx();
    PgConnectOptions server = PgConnectOptions.fromUri(url != null ? url : embedded.url());
    String database = "surge_jobs_v2_" + UUID.randomUUID().toString().substring(0, 8);
    try {
      execute(vertx, server, "CREATE DATABASE " + database);
      PgConnectOptions connect = new PgConnectOptions(server).setDatabase(database);
      Flyway.configure()
        .dataSource("jdbc:postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + database,
          connect.getUser(), connect.getPassword())
        .locations("classpath:db/surge-jobs").table("surge_jobs_schema_history").target("2")
        .load().migrate();
      Pool pool = PgBuilder.pool().connectingTo(connect).using(vertx).build();
      JobQueue queue = JobQueue.create(vertx, pool, connect, new SimpleMeterRegistry(),
        new JobQueueOptions().setQueues(Map.of("default", 2)));
      queue.register("noop", ThreadingModel.EVENT_LOOP, job -> Future.succeededFuture(new JsonObject()));

      Throwable failure = queue.start().map(v -> (Throwable) null).otherwise(err -> err)
        .toCompletionStage().toCompletableFuture().join();

      assertThat(failure).as("the start's failure").isNotNull();
      assertThat(failure.getMessage()).contains("surge_jobs_claim").contains("V3");
      pool.close().toCompletionStage().toCompletableFuture().join();
    } finally {
      execute(vertx, server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      vertx.close().toCompletionStage().toCompletableFuture().join();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static void execute(Vertx vertx, PgConnectOptions server, String sql) {
    PgConnection.connect(vertx, server)
      .compose(c -> c.query(sql).execute().eventually(c::close))
      .toCompletionStage().toCompletableFuture().join();
  }
}
