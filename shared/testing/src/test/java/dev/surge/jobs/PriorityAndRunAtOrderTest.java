package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** In the queue {@code ordered}, which runs one job at a time, the order of starts is the order of claims. */
class PriorityAndRunAtOrderTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @BeforeEach
  void reset() {
    TestJobs.reset();
  }

  @Test
  void lowerPriorityNumbersRunFirstThenOlderJobs() {
    JobQueue jobs = TestJobs.jobs(service);
    await(jobs.pause("ordered"));
    long late = enqueue(jobs, 5);
    long urgent = enqueue(jobs, 0);
    long lowest = enqueue(jobs, 9);
    long alsoUrgent = enqueue(jobs, 0);
    await(jobs.resume("ordered"));

    TestJobs.awaitState(jobs, lowest, JobState.COMPLETED);
    assertThat(List.copyOf(TestJobs.started)).containsExactly(urgent, alsoUrgent, late, lowest);
  }

  @Test
  void aScheduledJobWaitsForItsTimeThenRuns() {
    JobQueue jobs = TestJobs.jobs(service);
    Instant at = Instant.now().plusMillis(700);
    Job scheduled = await(jobs.enqueue(new JobRequest("test.sleep").setQueue("ordered").setRunAt(at)));
    assertThat(scheduled.state()).isEqualTo(JobState.SCHEDULED);
    long now = enqueue(jobs, 9);

    Job done = TestJobs.awaitState(jobs, scheduled.id(), JobState.COMPLETED);
    assertThat(done.attemptedAt()).isAfterOrEqualTo(at.minusMillis(50)); // the database clock, not ours
    assertThat(List.copyOf(TestJobs.started)).containsExactly(now, scheduled.id());
  }

  private static long enqueue(JobQueue jobs, int priority) {
    return await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 20))
      .setQueue("ordered").setPriority(priority))).id();
  }
}
