package dev.surge.jobs.impl;

import dev.surge.testing.SurgeTestEnvironment;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's completion locks each job it names, then writes it: when another session holds the row (a rescuer
 * that found the lease expired) and hands the job back to the queue before letting go, the completion, which
 * waited, must look at the row as it now is and store nothing: the attempt it reports no longer holds the job.
 */
class ACompletionThatWaitedOnARescuedJobStoresNothingTest {

  private static final String NODE = "rescued-completion-node";
  private static JobsDatabase db;

  @BeforeAll
  static void start() {
    db = new JobsDatabase("rescuedcompletiontest");
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void theCompletionReturnsNothingAndTheJobStaysAvailable() throws Exception {
    long id = await(db.connection.preparedQuery("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms, attempt, node, lease_expires_at)
        VALUES ('rescue.test', 'rescue-test', 'running', 5, 60000, 1, $1, now()) RETURNING id""")
      .execute(Tuple.of(NODE))).iterator().next().getLong("id");
    PgConnection rescuer = db.connect();
    try {
      await(rescuer.query("BEGIN").execute());
      await(rescuer.preparedQuery("SELECT id FROM surge_jobs WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)));

      Future<RowSet<Row>> completion = db.connection.preparedQuery(JobSql.COMPLETE)
        .execute(Tuple.of(new Long[] {id}, new Integer[] {1}, new String[] {"{\"done\": true}"}, NODE));
      assertThat(SurgeTestEnvironment.lockWaiter(db.pgUrl(), "WITH done", 0))
        .as("the completion waits for the rescuer's lock").isPositive();
      await(rescuer.preparedQuery("""
          UPDATE surge_jobs SET state = 'available', node = NULL, lease_expires_at = NULL WHERE id = $1""")
        .execute(Tuple.of(id)));
      await(rescuer.query("COMMIT").execute());

      assertThat(await(completion).size()).as("completions stored").isZero();
      Row job = await(db.connection.preparedQuery("SELECT state, result FROM surge_jobs WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
      assertThat(job.getString("state")).isEqualTo("available");
      assertThat(job.getValue("result")).isNull();
    } finally {
      await(rescuer.close());
    }
  }
}
