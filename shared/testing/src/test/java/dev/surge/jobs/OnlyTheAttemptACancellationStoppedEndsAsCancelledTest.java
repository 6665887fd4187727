package dev.surge.jobs;

import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job cancelled on another node reaches the node running it two ways: the cancellation's notification, and the
 * next lease renewal, which finds the job no longer held. When the renewal comes first (it waited on the
 * cancellation's row lock, say) the attempt still ends as a cancellation: its handler is told "cancelled", the
 * cancellation is counted and its event published, as when the notification comes first. Here the notification
 * never comes: the job's row is changed as the cancellation changes it, in the table alone. A job whose lease
 * expired and was rescued, then cancelled while waiting (no notification either), did not stop this attempt: the
 * attempt ends as a lease lost, as does one whose job was rescued, claimed again elsewhere and cancelled there, though
 * the cancellation's notification reaches this node too.
 */
class OnlyTheAttemptACancellationStoppedEndsAsCancelledTest {

  private TestService node;
  /** The events published about the job of {@link #aRunningJob}. */
  private final Queue<JsonObject> events = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    TestJobs.reset();
    node = TestJobs.start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void aJobCancelledWhileItRanEndsAsACancellation() {
    Job job = aRunningJob();

    changeRow(job, 0, "'cancelled'"); // as JobSql.CANCEL leaves a running job
    awaitUntil(() -> TestJobs.sawCancellation.containsKey(job.id())
      && events.stream().anyMatch(e -> JobState.CANCELLED.wire().equals(e.getString("state"))));

    assertThat(TestJobs.sawCancellation).containsEntry(job.id(), "cancelled");
    assertThat(events).anySatisfy(e -> assertThat(e.getString("state")).isEqualTo(JobState.CANCELLED.wire()));
    assertThat(cancelledCount()).isEqualTo(1);
  }

  @Test
  void aJobRescuedThenCancelledWhileWaitingEndsTheAttemptAsALeaseLost() {
    Job job = aRunningJob();

    // As a rescue (its error, the node and the attempt kept) and then a cancellation of the available job leave it.
    changeRow(job, 0, "'lease expired: node x stopped renewing it (crashed, killed or cut off)'");
    awaitUntil(() -> TestJobs.sawCancellation.containsKey(job.id()));

    assertThat(TestJobs.sawCancellation).containsEntry(job.id(), "no longer held by this node");
    assertThat(events).noneSatisfy(e -> assertThat(e.getString("state")).isEqualTo(JobState.CANCELLED.wire()));
    assertThat(cancelledCount()).isZero();
  }

  @Test
  void aCancellationOfTheJobsNextAttemptElsewhereEndsThisAttemptAsALeaseLost() {
    Job job = aRunningJob();

    // As a rescue, another node's claim (the next attempt) and a cancellation there leave it, and the cancellation's
    // notification, which reaches every node.
    changeRow(job, 1, "'cancelled'");
    await(PostgresComponent.pool(node.running().context()).preparedQuery(
      "SELECT pg_notify('surge_jobs_control', 'cancel:' || $1::bigint)").execute(Tuple.of(job.id())));
    awaitUntil(() -> TestJobs.sawCancellation.containsKey(job.id()));

    assertThat(TestJobs.sawCancellation).containsEntry(job.id(), "no longer held by this node");
    assertThat(events).noneSatisfy(e -> assertThat(e.getString("state")).isEqualTo(JobState.CANCELLED.wire()));
    assertThat(cancelledCount()).as("counted by the node whose attempt it stopped, not here").isZero();
  }

  /** A job of a minute's sleep, running here, its events gathered in {@link #events}. */
  private Job aRunningJob() {
    JobQueue jobs = TestJobs.jobs(node);
    Job job = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000))));
    MessageConsumer<JsonObject> consumer = node.running().context().vertx().eventBus()
      .localConsumer(JobQueue.eventsAddress(job.id()), m -> events.add(m.body()));
    await(consumer.completion());
    TestJobs.awaitState(jobs, job.id(), JobState.RUNNING);
    return job;
  }

  /**
   * The job's row cancelled, as the queue's statements leave it: {@code laterAttempts} attempts after the one running
   * here, with {@code error} (SQL) as the last attempt's last error.
   */
  private void changeRow(Job job, int laterAttempts, String error) {
    await(PostgresComponent.pool(node.running().context()).preparedQuery("""
        UPDATE surge_jobs SET state = 'cancelled', finished_at = now(), lease_expires_at = NULL,
          attempt = attempt + $2, errors = errors || jsonb_build_array(jsonb_build_object(
            'attempt', attempt + $2, 'at', now(), 'error', %s))
        WHERE id = $1""".formatted(error))
      .execute(Tuple.of(job.id(), laterAttempts)));
  }

  /** 10 s at most: the lease is 1 s, renewed several times within. */
  private static void awaitUntil(BooleanSupplier done) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      TestJobs.sleep(20);
    }
  }

  private double cancelledCount() {
    Counter cancelled = node.running().context().registry().find("surge_jobs_cancelled")
      .tags("queue", "default", "type", "test.sleep").counter();
    return cancelled == null ? 0 : cancelled.count();
  }
}
