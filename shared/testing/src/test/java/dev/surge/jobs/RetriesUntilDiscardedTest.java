package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class RetriesUntilDiscardedTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @Test
  void aJobThatKeepsFailingIsDiscardedAfterItsLastAttemptWithEveryError() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.fail").setMaxAttempts(3)));

    Job discarded = TestJobs.awaitState(jobs, job.id(), JobState.DISCARDED);
    assertThat(discarded.attempt()).isEqualTo(3);
    assertThat(discarded.finishedAt()).isNotNull();
    assertThat(discarded.errors()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonObject error = discarded.errors().getJsonObject(i);
      assertThat(error.getInteger("attempt")).isEqualTo(i + 1);
      assertThat(error.getString("error")).contains("failure on attempt " + (i + 1));
    }
  }

  @Test
  void aFailedAttemptWaitsForItsBackoffThenSucceeds() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.fail", new JsonObject().put("failures", 2)).setMaxAttempts(5)));

    Job done = TestJobs.awaitState(jobs, job.id(), JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(3);
    assertThat(done.result().getInteger("succeededOnAttempt")).isEqualTo(3);
    assertThat(done.errors()).hasSize(2);
    Instant secondFailure = Instant.parse(done.errors().getJsonObject(1).getString("at"));
    assertThat(done.attemptedAt()).as("the third attempt starts after the second failure").isAfter(secondFailure);
  }

  @Test
  void backoffDoublesWithJitterUpToItsMaximum() {
    JobQueueOptions options = new JobQueueOptions().setBackoffBase(java.time.Duration.ofSeconds(1))
      .setBackoffMax(java.time.Duration.ofSeconds(10));
    for (int attempt = 1; attempt <= 8; attempt++) {
      long full = Math.min(10_000, 1000L << (attempt - 1));
      long backoff = dev.surge.jobs.impl.Backoff.delayMs(options, attempt);
      assertThat(backoff).isBetween(full / 2, full);
    }
  }
}
