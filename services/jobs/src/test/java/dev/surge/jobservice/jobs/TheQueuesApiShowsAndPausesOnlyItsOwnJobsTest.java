package dev.surge.jobservice.jobs;

import dev.surge.jobs.Job;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobQueueOptions;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.jobs.QueueInfo;
import dev.surge.pg.Postgres;
import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another service runs a queue of the same name as the jobs service's ({@code default}), with jobs of its own in it.
 * The jobs API's queues view counts only the jobs service's jobs, as its job listing shows only those; pausing the
 * queue through it holds only the jobs service's jobs: the other service's keep running, and its queue is not paused.
 */
class TheQueuesApiShowsAndPausesOnlyItsOwnJobsTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();
  private static JobQueue other;

  @BeforeAll
  static void anotherServiceRunsADefaultQueue() {
    var context = service.running().context();
    other = JobQueue.create(context.vertx(), PostgresComponent.pool(context), Postgres.connectOptions(service.pgUrl()),
      new SimpleMeterRegistry(), new JobQueueOptions().setOwner("billing").setQueues(Map.of("default", 2))
        .setPollInterval(Duration.ofMillis(100)));
    other.register("billing.echo", ThreadingModel.EVENT_LOOP, job -> Future.succeededFuture(new JsonObject()));
    await(other.start());
  }

  @AfterAll
  static void stopIt() {
    await(other.stop(Duration.ZERO));
  }

  @Test
  void theDepthCountsOnlyTheServicesOwnJobs() {
    for (int i = 0; i < 3; i++) {
      await(other.enqueue(new JobRequest("billing.echo").setRunAt(Instant.parse("2100-01-01T00:00:00Z"))));
    }
    JobsApi.enqueue(service, new JsonObject().put("type", "noop").put("runAt", "2100-01-01T00:00:00Z"));

    assertThat(JobsApi.queue(service, "default").getJsonObject("depth").getLong("scheduled")).isEqualTo(1);
    assertThat(service.get("/jobs?queue=default&state=scheduled").bodyAsJsonObject().getJsonArray("items")).hasSize(1);
  }

  @Test
  void pausingHoldsOnlyTheServicesOwnJobs() {
    assertThat(service.postJson("/queues/default/pause", new JsonObject()).statusCode()).isEqualTo(200);
    try {
      long mine = JobsApi.enqueue(service, new JsonObject().put("type", "noop")).getLong("id");
      Job theirs = await(other.enqueue(new JobRequest("billing.echo")));

      awaitState(theirs.id(), JobState.COMPLETED);
      assertThat(await(other.queues()).stream().filter(q -> q.name().equals("default")).map(QueueInfo::paused))
        .containsExactly(false);
      assertThat(service.get("/jobs/" + mine).bodyAsJsonObject().getString("state")).isEqualTo("available");
      assertThat(JobsApi.queue(service, "default").getBoolean("paused")).isTrue();
    } finally {
      service.postJson("/queues/default/resume", new JsonObject());
    }
  }

  private static void awaitState(long id, JobState state) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (await(other.get(id)).state() != state) {
      assertThat(System.nanoTime()).as("job " + id + " never " + state).isLessThan(deadline);
      JobsApi.pause(20);
    }
  }
}
