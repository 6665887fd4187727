package dev.surge.jobs;

import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionalEnqueueTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @BeforeAll
  static void table() {
    await(PostgresComponent.pool(service.running().context()).query("CREATE TABLE invoices (id text PRIMARY KEY)").execute());
  }

  @Test
  void aRolledBackTransactionLeavesNeitherItsRowNorItsJob() {
    Pool pg = PostgresComponent.pool(service.running().context());
    JobQueue jobs = TestJobs.jobs(service);
    assertThatThrownBy(() -> await(pg.withTransaction(tx -> tx.preparedQuery("INSERT INTO invoices VALUES ($1)")
      .execute(Tuple.of("inv-1"))
      .compose(v -> jobs.enqueue(tx, new JobRequest("test.echo", new JsonObject().put("invoice", "inv-1"))))
      .compose(job -> Future.failedFuture(new IllegalStateException("payment declined"))))))
      .hasMessageContaining("payment declined");

    assertThat(count(pg, "SELECT count(*) FROM invoices")).isZero();
    assertThat(count(pg, "SELECT count(*) FROM surge_jobs WHERE args->>'invoice' = 'inv-1'")).isZero();
  }

  @Test
  void aCommittedTransactionStoresBothAndTheJobRuns() {
    Pool pg = PostgresComponent.pool(service.running().context());
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(pg.withTransaction(tx -> tx.preparedQuery("INSERT INTO invoices VALUES ($1)")
      .execute(Tuple.of("inv-2"))
      .compose(v -> jobs.enqueue(tx, new JobRequest("test.echo", new JsonObject().put("invoice", "inv-2"))))));

    assertThat(count(pg, "SELECT count(*) FROM invoices WHERE id = 'inv-2'")).isEqualTo(1);
    Job done = TestJobs.awaitState(jobs, job.id(), JobState.COMPLETED);
    assertThat(done.result().getJsonObject("args").getString("invoice")).isEqualTo("inv-2");
  }

  private static long count(Pool pg, String sql) {
    return await(pg.query(sql).execute()).iterator().next().getLong(0);
  }
}
