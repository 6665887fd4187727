package dev.surge.jobs;

import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class AJobKeepsTheErrorsOfItsLastTwentyAttemptsTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), withShortBackoff());

  @Test
  void aJobThatFailsTwentyFiveTimesShowsTheLastTwentyErrorsOldestFirst() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.fail").setMaxAttempts(25)));

    Job discarded = TestJobs.awaitState(jobs, job.id(), JobState.DISCARDED);
    assertThat(discarded.attempt()).isEqualTo(25);
    assertThat(discarded.errors()).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(discarded.errors().getJsonObject(i).getInteger("attempt")).isEqualTo(i + 6);
    }

    // Retried, it fails once more: still twenty, the latest last.
    await(jobs.retry(job.id()));
    Job again = TestJobs.awaitState(jobs, job.id(), JobState.DISCARDED);
    assertThat(again.attempt()).isEqualTo(26);
    assertThat(again.errors()).hasSize(20);
    assertThat(again.errors().getJsonObject(0).getInteger("attempt")).isEqualTo(7);
    assertThat(again.errors().getJsonObject(19).getInteger("attempt")).isEqualTo(26);
  }

  private static Map<String, Object> withShortBackoff() {
    Map<String, Object> config = new HashMap<>(TestJobs.FAST);
    config.put("jobs.backoffMax", "40ms");
    return config;
  }
}
