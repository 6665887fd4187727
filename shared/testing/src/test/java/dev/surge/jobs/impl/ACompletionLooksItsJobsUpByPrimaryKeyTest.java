package dev.surge.jobs.impl;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node stores its finished attempts in batches, and the statement names each job by id: it must find them by
 * the primary key, whatever else the planner might prefer. As a join the planner was free to choose, it read the
 * running jobs' index, which between vacuums also holds an entry for every job that ran since, and joined it
 * against the batch row by row: 60 ms for 600 completions once 50,000 jobs had run (bench/jobs.sh). A session
 * that discourages plain index scans stands in for the statistics that led it there.
 */
class ACompletionLooksItsJobsUpByPrimaryKeyTest {

  private static final String NODE = "completion-plan-node";
  private static final int FINISHED = 50_000;
  private static final int RUNNING = 300;
  private static JobsDatabase db;

  @BeforeAll
  static void start() {
    db = new JobsDatabase("completionplantest");
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void aBatchOfCompletionsIsStoredThroughThePrimaryKeyOnly() {
    await(db.connection.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms, finished_at)
        SELECT 'plan.test', 'plan-test', 'completed', 5, 60000, now() FROM generate_series(1, $1)""")
      .execute(Tuple.of(FINISHED)));
    Long[] ids = await(db.connection.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms, attempt, node, lease_expires_at)
        SELECT 'plan.test', 'plan-test', 'running', 5, 60000, 1, $2, now() + interval '1 hour'
        FROM generate_series(1, $1) RETURNING id""").execute(Tuple.of(RUNNING, NODE)))
      .stream().map(row -> row.getLong("id")).toArray(Long[]::new);
    Integer[] attempts = new Integer[RUNNING];
    Arrays.fill(attempts, 1);
    String[] results = new String[RUNNING];
    Arrays.fill(results, "{\"ok\": true}");
    db.explain();
    await(db.connection.query("SET enable_indexscan = off").execute());
    db.takePlans();

    int stored = await(db.connection.preparedQuery(JobSql.COMPLETE).execute(Tuple.of(ids, attempts, results, NODE))).size();

    assertThat(stored).as("completions stored").isEqualTo(RUNNING);
    assertThat(db.takePlans()).as("the completion's plan")
      .contains("surge_jobs_pkey").doesNotContain("Seq Scan on surge_jobs").doesNotContain("surge_jobs_lease")
      .doesNotContain("surge_jobs_owner_id").doesNotContain("surge_jobs_finished").doesNotContain("surge_jobs_claim");
  }
}
