package dev.surge.jobs;

import dev.surge.embedded.EmbeddedPostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job queue is a library of its own: a plain Vert.x application, with no Surge chassis, makes the queue's
 * tables from {@code db/surge-jobs} with Flyway, creates the queue on its own pool, and has a job run to
 * completion with its result stored. It uses {@code SURGE_TEST_PG_URL} when set, else an embedded PostgreSQL.
 */
class AVertxApplicationRunsTheQueueWithoutTheChassisTest {

  @Test
  void aJobEnqueuedByAPlainVertxApplicationRunsToCompletion(@TempDir Path dir) throws Exception {
    String url = System.getenv("SURGE_TEST_PG_URL");
    EmbeddedPostgresServer embedded = url == null ? EmbeddedPostgresServer.start(dir.resolve("pg")) : null;
    Vertx vertx = Vertx.vertx();
    try {
      PgConnectOptions connect = PgConnectOptions.fromUri(url != null ? url : embedded.url());
      Flyway.configure()
        .dataSource("jdbc:postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase(),
          connect.getUser(), connect.getPassword())
        .locations("classpath:db/surge-jobs").table("surge_jobs_schema_history")
        // A database that holds other tables already: the history starts below the queue's first migration.
        .baselineOnMigrate(true).baselineVersion("0")
        .load().migrate();
      Pool pool = PgBuilder.pool().connectingTo(connect).using(vertx).build();
      String owner = "plain-" + UUID.randomUUID().toString().substring(0, 8);
      JobQueue queue = JobQueue.create(vertx, pool, connect, new SimpleMeterRegistry(), new JobQueueOptions()
        .setOwner(owner).setQueues(Map.of("greetings", 2)).setPollInterval(Duration.ofMillis(100)));
      queue.register("greet", ThreadingModel.EVENT_LOOP,
        job -> Future.succeededFuture(new JsonObject().put("hello", job.args().getString("name"))));
      await(queue.start());

      long id = await(queue.enqueue(new JobRequest("greet", new JsonObject().put("name", "vert.x"))
        .setQueue("greetings"))).id();
      Job job = await(queue.get(id));
      for (int i = 0; i < 100 && job.state() != JobState.COMPLETED; i++) {
        Thread.sleep(100);
        job = await(queue.get(id));
      }
      assertThat(job.state()).isEqualTo(JobState.COMPLETED);
      assertThat(job.result()).isEqualTo(new JsonObject().put("hello", "vert.x"));
      await(queue.stop(Duration.ofSeconds(5)));
    } finally {
      await(vertx.close());
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }
}
