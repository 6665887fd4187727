package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A handler that fails with PermanentJobFailure has its job discarded at once, its other attempts unused. */
class PermanentFailureIsNotRetriedTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @Test
  void theJobIsDiscardedAfterItsFirstAttemptWithTheError() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.fail", new JsonObject().put("permanently", true))
      .setMaxAttempts(5)));

    Job discarded = TestJobs.awaitState(jobs, job.id(), JobState.DISCARDED);
    assertThat(discarded.attempt()).isEqualTo(1);
    assertThat(discarded.finishedAt()).isNotNull();
    assertThat(discarded.errors()).hasSize(1);
    assertThat(discarded.errors().getJsonObject(0).getString("error")).contains("no retry can fix attempt 1");
  }
}
