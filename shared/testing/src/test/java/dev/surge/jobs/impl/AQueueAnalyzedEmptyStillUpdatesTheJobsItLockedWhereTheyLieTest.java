package dev.surge.jobs.impl;

import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements that lock jobs and then change them (the claim, the staging of due jobs, the rescue of expired
 * leases) must update the rows they locked without searching the table for them again, whatever the statistics
 * say. Written as a join of the locked rows to the table, the planner was free to turn it round: with the table last
 * analyzed when it held no live row (a quiet spell, then a burst; or bench/jobs.sh's emptied table), it counted on
 * one row on each side and walked the table's whole primary key, testing every row against every locked one. In
 * bench/jobs.sh a claim of a hundred compared five million pairs and took 0.6 s, and the queue ran 200 jobs a second
 * instead of 20,000 until the next ANALYZE: a stall, with no error anywhere; staging 10,000 due jobs took 21 s. By id
 * instead, it read the whole (owner, id) index. Such statistics can be set up on purpose: rows deleted and the table
 * analyzed, then the burst.
 */
class AQueueAnalyzedEmptyStillUpdatesTheJobsItLockedWhereTheyLieTest {

  private static final String QUEUE = "analyzed-empty";
  private static final String TYPE = "analyzed.empty";
  private static final int BURST = 20_000;
  private JobsDatabase db;

  @BeforeEach
  void analyzedWhileEmpty() {
    db = new JobsDatabase("analyzedemptytest");
    JobsDatabase.analyzedEmpty(db.connection, BURST);
  }

  @AfterEach
  void stop() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void aClaimAfterABurstUpdatesTheJobsItLockedWhereTheyLie() {
    burst("'available', now()");
    db.explain();

    int claimed = await(db.connection.preparedQuery(JobSql.CLAIM)
      .execute(Tuple.of(QUEUE, new String[] {TYPE}, 100, 60_000L, "analyzed-node"))).size();

    assertThat(claimed).as("jobs claimed").isEqualTo(100);
    assertLockedRowsUpdatedWhereTheyLie(db.takePlans());
  }

  @Test
  void stagingDueJobsUpdatesThemWhereTheyLie() {
    // In a transaction of the test's own, so that the node's poll cannot stage the burst first.
    Transaction tx = await(db.connection.begin());
    burst("'scheduled', now() - interval '1 minute'");
    db.explain();

    long staged = await(db.connection.query(JobSql.STAGE).execute()).iterator().next().getLong("staged");

    await(tx.rollback());
    assertThat(staged).as("due jobs made available").isEqualTo(10_000);
    assertLockedRowsUpdatedWhereTheyLie(db.takePlans());
  }

  @Test
  void rescuingExpiredLeasesUpdatesTheJobsWhereTheyLie() {
    Transaction tx = await(db.connection.begin()); // the node's own rescue cannot take them first
    await(db.connection.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms, attempt, node, lease_expires_at)
        SELECT $1, $2, 'running', 5, 60000, 1, 'gone-node', now() - interval '1 minute'
        FROM generate_series(1, $3)""").execute(Tuple.of(TYPE, QUEUE, BURST)));
    db.explain();

    int rescued = await(db.connection.query(JobSql.RESCUE).execute()).size();

    await(tx.rollback());
    assertThat(rescued).as("expired jobs rescued").isEqualTo(1000);
    assertLockedRowsUpdatedWhereTheyLie(db.takePlans());
  }

  private void burst(String stateAndRunAt) {
    await(db.connection.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, run_at, max_attempts, timeout_ms)
        SELECT $1, $2, %s, 5, 60000 FROM generate_series(1, $3)""".formatted(stateAndRunAt))
      .execute(Tuple.of(TYPE, QUEUE, BURST)));
  }

  /** The update goes to the locked rows by their addresses: no join, and no scan of a whole table or index. */
  private static void assertLockedRowsUpdatedWhereTheyLie(String plans) {
    assertThat(plans).as("the statement's plan")
      .contains("Tid Scan on surge_jobs j")
      .doesNotContain("Join Filter")
      .doesNotContain("surge_jobs_owner_id")
      .doesNotContain("Seq Scan on surge_jobs");
  }
}
