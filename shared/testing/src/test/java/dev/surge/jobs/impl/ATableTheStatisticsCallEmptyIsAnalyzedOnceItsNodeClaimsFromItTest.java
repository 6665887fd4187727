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
import dev.surge.testing.CapturedLog;
import io.vertx.sqlclient.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
  private TestService node;
  private PgConnection connection;

  @BeforeEach
  void start() {
    node = TestService.start(ServiceDefinition.builder("statisticstest").defaultPort(0)
      .http(ctx -> router -> router.get("/").handler(rc -> rc.end("ok")))
      .use(PostgresComponent.create())
      .use(JobsComponent.of((ctx, jobs) -> jobs.register("stats.noop", ThreadingModel.EVENT_LOOP,
        job -> Future.succeededFuture(new JsonObject()))))
      .build(), Map.of("jobs.pollInterval", "100ms", "jobs.queues", "default=50"));
    connection = await(PgConnection.connect(node.running().vertx(), PgConnectOptions.fromUri(node.pgUrl())));
  }

  @AfterEach
  void stop() {
    if (connection != null) {
      await(connection.close());
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aBurstIntoATableAnalyzedEmptyLeavesStatisticsThatCountIt() throws InterruptedException {
    analyzedEmpty();

    burstRun();

    // Statistics that count the burst: rows a page times pages, so a page's rounding may leave it a few short.
    assertThat(plannedRows()).as("rows the planner counts on after the node ran the burst").isGreaterThan(BURST * 0.99);
  }

  @Test
  void anAnalyzeThatChangesNothingIsSaidOnceAndNotRepeatedEachPoll() throws InterruptedException {
    analyzedEmpty();
    try (CapturedLog log = CapturedLog.of("dev.surge.jobs")) {
      // A session holding the lock a vacuum holds: the node's ANALYZE (SKIP_LOCKED) skips the table, as it does
      // while a vacuum runs; a role that does not own the table is refused the same way, with a warning only.
      PgConnection holder = await(PgConnection.connect(node.running().vertx(), PgConnectOptions.fromUri(node.pgUrl())));
      Transaction held = await(holder.begin());
      await(holder.query("LOCK TABLE surge_jobs IN SHARE UPDATE EXCLUSIVE MODE").execute());

      burstRun();
      burstRun(); // two bursts, tens of polls: an ANALYZE on each would be said on each

      await(held.rollback());
      await(holder.close());
      assertThat(plannedRows()).as("rows the planner counts on, no ANALYZE having run").isLessThan(10);
      assertThat(log.lines().stream().filter(line -> line.contains("analyzing it")))
        .as("ANALYZEs the node ran").hasSize(1);
      assertThat(log.lines().stream().filter(line -> line.contains("ANALYZE left the planner counting")))
        .as("warnings that it changed nothing").hasSize(1);
    }
  }

  /** {@link JobsDatabase#analyzedEmpty}, checked: the planner counts on one row. */
  private void analyzedEmpty() {
    JobsDatabase.analyzedEmpty(connection, BURST);
    assertThat(plannedRows()).as("rows the planner counts on, analyzed empty").isLessThan(10);
  }

  /** A burst of jobs the node runs, and the wait until it has run them all and polled once more. */
  private void burstRun() throws InterruptedException {
    await(connection.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms)
        SELECT 'stats.noop', 'default', 'available', 5, 60000 FROM generate_series(1, $1)
        """).execute(Tuple.of(BURST)));
    await(connection.query("SELECT pg_notify('surge_jobs', 'default')").execute());
    for (int i = 0; i < 600 && left() > 0; i++) {
      Thread.sleep(100);
    }
    Thread.sleep(500); // polls after the burst's last claim
    assertThat(left()).as("jobs of the burst not completed").isZero();
  }

  private double plannedRows() {
    Double planned = await(connection.query(JobSql.PLANNED_ROWS).execute()).iterator().next().getDouble(0);
    return planned == null ? Double.MAX_VALUE : planned;
  }

  private long left() {
    return await(connection.query("SELECT count(*) FROM surge_jobs WHERE state <> 'completed'").execute())
      .iterator().next().getLong(0);
  }
}
