package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class TimeoutCancelsTheAttemptTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @Test
  void anAttemptPastItsTimeoutIsToldSoAndFails() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000))
      .setTimeout(Duration.ofMillis(300)).setMaxAttempts(1)));

    Job discarded = TestJobs.awaitState(jobs, job.id(), JobState.DISCARDED);
    assertThat(discarded.errors().getJsonObject(0).getString("error")).isEqualTo("timed out after 300 ms");
    assertThat(TestJobs.sawCancellation).containsEntry(job.id(), "timed out after 300 ms");
  }

  @Test
  void aTimedOutAttemptIsRetriedWhileItHasAttemptsLeft() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000).put("msAfterFirst", 5))
      .setTimeout(Duration.ofMillis(300)).setMaxAttempts(2)));

    Job done = TestJobs.awaitState(jobs, job.id(), JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.errors()).hasSize(1);
  }
}
