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

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job cancelled on another node reaches the node running it two ways: the cancellation's notification, and the
 * next lease renewal, which finds the job no longer held. When the renewal comes first (it waited on the
 * cancellation's row lock, say) the attempt still ends as a cancellation: its handler is told "cancelled", the
 * cancellation is counted and its event published, as when the notification comes first. Here the notification
 * never comes: the job is cancelled in the table alone.
 */
class ACancellationTheRenewalFindsFirstEndsAsACancellationTest {

  private TestService node;

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
  void theHandlerIsToldCancelledAndTheCancellationIsCountedAndPublished() {
    JobQueue jobs = TestJobs.jobs(node);
    Job job = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000))));
    Queue<JsonObject> events = new ConcurrentLinkedQueue<>();
    MessageConsumer<JsonObject> consumer = node.running().context().vertx().eventBus()
      .localConsumer(JobQueue.eventsAddress(job.id()), m -> events.add(m.body()));
    TestJobs.awaitState(jobs, job.id(), JobState.RUNNING);

    await(PostgresComponent.pool(node.running().context()).preparedQuery("""
        UPDATE surge_jobs SET state = 'cancelled', finished_at = now(), lease_expires_at = NULL WHERE id = $1""")
      .execute(Tuple.of(job.id())));
    long deadline = System.nanoTime() + 10_000_000_000L; // the lease is 1 s: renewed several times within
    while (!(TestJobs.sawCancellation.containsKey(job.id()) && !events.isEmpty()) && System.nanoTime() < deadline) {
      TestJobs.sleep(20);
    }
    consumer.unregister();

    assertThat(TestJobs.sawCancellation).containsEntry(job.id(), "cancelled");
    assertThat(events).anySatisfy(e -> assertThat(e.getString("state")).isEqualTo(JobState.CANCELLED.wire()));
    Counter cancelled = node.running().context().registry().find("surge_jobs_cancelled")
      .tags("queue", "default", "type", "test.sleep").counter();
    assertThat(cancelled).isNotNull();
    assertThat(cancelled.count()).isEqualTo(1);
  }
}
