package dev.surge.jobs.impl;

import dev.surge.pg.JobsComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.ServiceDefinition;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node completes a batch of its jobs while it renews their leases: both change the same rows, and each must
 * lock them in the same order, or PostgreSQL finds a deadlock, waits a second and cancels one of them. Here the
 * completions list the jobs backwards and the renewals forwards, the worst case, many times over.
 */
class CompletionAndLeaseRenewalNeverDeadlockTest {

  private static final String NODE = "deadlock-test-node";
  private static final int JOBS = 200;
  private static TestService service;
  private static Pool pool;
  private static Long[] ids;

  @BeforeAll
  static void start() {
    service = TestService.start(ServiceDefinition.builder("deadlocktest").defaultPort(0)
      .http(ctx -> router -> router.get("/").handler(rc -> rc.end("ok")))
      .use(PostgresComponent.create()).use(JobsComponent.of((ctx, jobs) -> { })).build());
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(service.pgUrl()))
      .with(new PoolOptions().setMaxSize(4)).using(service.running().vertx()).build();
    ids = await(pool.query("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms)
        SELECT 'deadlock.test', 'deadlock-test', 'completed', 5, 60000 FROM generate_series(1, %d)
        RETURNING id""".formatted(JOBS)).execute())
      .stream().map(row -> row.getLong("id")).sorted().toArray(Long[]::new);
  }

  @AfterAll
  static void stop() {
    await(pool.close());
    service.close();
  }

  @Test
  void aCompletionAndARenewalOfTheSameJobsBothSucceed() {
    Long[] backwards = LongStream.range(0, JOBS).mapToObj(i -> ids[JOBS - 1 - (int) i]).toArray(Long[]::new);
    Integer[] firstAttempt = new Integer[JOBS];
    String[] results = new String[JOBS];
    java.util.Arrays.fill(firstAttempt, 1);
    java.util.Arrays.fill(results, "{\"ok\": true}");
    List<Throwable> failures = new ArrayList<>();
    for (int round = 0; round < 30; round++) {
      await(pool.preparedQuery("""
          UPDATE surge_jobs SET state = 'running', attempt = 1, node = $2, finished_at = NULL,
                                lease_expires_at = now() + interval '1 hour'
          WHERE id = ANY($1::bigint[])""").execute(Tuple.of(ids, NODE)));
      Future<?> completion = pool.preparedQuery(JobSql.COMPLETE).execute(Tuple.of(backwards, firstAttempt, results, NODE));
      Future<?> renewal = pool.preparedQuery(JobSql.RENEW).execute(Tuple.of(ids, firstAttempt, 60_000L, NODE));
      await(Future.join(completion, renewal).otherwiseEmpty());
      if (completion.failed()) {
        failures.add(completion.cause());
      }
      if (renewal.failed()) {
        failures.add(renewal.cause());
      }
    }
    assertThat(failures).as("statements cancelled").isEmpty();
    assertThat(await(pool.preparedQuery("SELECT count(*) FROM surge_jobs WHERE id = ANY($1::bigint[]) AND state = 'completed'")
      .execute(Tuple.of((Object) ids))).iterator().next().getLong(0)).isEqualTo(JOBS);
  }
}
