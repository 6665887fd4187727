package dev.surge.jobs.impl;

import dev.surge.ServiceDefinition;
import dev.surge.pg.JobsComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statistics taken while the jobs table held no live row make PostgreSQL count on one row in it whatever it holds
 * later, and every statement that finds jobs by id is planned for that one row: a completion of 300 jobs read the
 * whole (owner, id) index for each of them. A node that claims more jobs than the planner thinks the table has
 * analyzes it. (Where autovacuum runs it would too, within a minute or so; this test's server runs without it, as
 * this machine's does.)
 */
class ATableTheStatisticsCallEmptyIsAnalyzedOnceItsNodeClaimsFromItTest {

  private static final int BURST = 3000;
  private static TestService node;
  private static PgConnection connection;

  @BeforeAll
  static void start() {
    node = TestService.start(ServiceDefinition.builder("statisticstest").defaultPort(0)
      .http(ctx -> router -> router.get("/").handler(rc -> rc.end("ok")))
      .use(PostgresComponent.create())
      .use(JobsComponent.of((ctx, jobs) -> jobs.register("stats.noop", ThreadingModel.EVENT_LOOP,
        job -> Future.succeededFuture(new JsonObject()))))
      .build(), Map.of("jobs.pollInterval", "100ms", "jobs.queues", "default=50"));
    connection = await(PgConnection.connect(node.running().vertx(), PgConnectOptions.fromUri(node.pgUrl())));
  }

  @AfterAll
  static void stop() {
    if (connection != null) {
      await(connection.close());
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aBurstIntoATableAnalyzedEmptyLeavesStatisticsThatCountIt() throws InterruptedException {
    await(connection.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms)
        SELECT 'stats.old', 'old', 'completed', 5, 60000 FROM generate_series(1, $1)""").execute(Tuple.of(BURST)));
    await(connection.query("DELETE FROM surge_jobs").execute());
    await(connection.query("ANALYZE surge_jobs").execute());
    assertThat(plannedRows()).as("rows the planner counts on, analyzed empty").isLessThan(10);

    await(connection.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms)
        SELECT 'stats.noop', 'default', 'available', 5, 60000 FROM generate_series(1, $1);
        """).execute(Tuple.of(BURST)));
    await(connection.query("SELECT pg_notify('surge_jobs', 'default')").execute());
    for (int i = 0; i < 600 && left() > 0; i++) {
      Thread.sleep(100);
    }
    Thread.sleep(500); // a last poll after the burst's last claim

    assertThat(left()).as("jobs of the burst not completed").isZero();
    assertThat(plannedRows()).as("rows the planner counts on after the node ran the burst").isGreaterThanOrEqualTo(BURST);
  }

  private static double plannedRows() {
    Double planned = await(connection.query(JobSql.PLANNED_ROWS).execute()).iterator().next().getDouble(0);
    return planned == null ? Double.MAX_VALUE : planned;
  }

  private static long left() {
    return await(connection.query("SELECT count(*) FROM surge_jobs WHERE state <> 'completed'").execute())
      .iterator().next().getLong(0);
  }
}
