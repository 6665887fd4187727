package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's result is bounded ({@code jobs.maxResultSize}, here 1 KiB): a handler that completes with a larger one
 * has its job discarded at once, with an error that says why, and nothing of the result stored; one within the
 * bound is kept whole.
 */
class AResultLargerThanAJobMayKeepFailsItForGoodTest {

  private static Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>(TestJobs.FAST);
    config.put("jobs.maxResultSize", 1024);
    return config;
  }

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), config());

  @Test
  void aResultOverTheBoundDiscardsTheJobWithoutStoringIt() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.result", new JsonObject().put("size", 2000)).setMaxAttempts(5)));

    Job discarded = TestJobs.awaitState(jobs, job.id(), JobState.DISCARDED);
    assertThat(discarded.attempt()).as("no retry").isEqualTo(1);
    assertThat(discarded.result()).isNull();
    assertThat(discarded.errors().getJsonObject(0).getString("error"))
      .contains("over the 1024 a job may keep (jobs.maxResultSize)");
  }

  @Test
  void aResultWithinTheBoundIsKept() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.result", new JsonObject().put("size", 900))));

    Job completed = TestJobs.awaitState(jobs, job.id(), JobState.COMPLETED);
    assertThat(completed.result().getString("filler")).hasSize(900);
  }

  /** PostgreSQL's jsonb refuses U+0000: stored with others, it failed their batch again at each try. */
  @Test
  void aResultHoldingANulCharacterDiscardsItsJobAndTheNextJobStillCompletes() {
    JobQueue jobs = TestJobs.jobs(service);
    Job nul = await(jobs.enqueue(new JobRequest("test.result", new JsonObject().put("nul", true)).setMaxAttempts(3)));
    Job next = await(jobs.enqueue(new JobRequest("test.result", new JsonObject().put("size", 10))));

    Job discarded = TestJobs.awaitState(jobs, nul.id(), JobState.DISCARDED);
    assertThat(discarded.errors().getJsonObject(0).getString("error")).contains("U+0000");
    assertThat(TestJobs.awaitState(jobs, next.id(), JobState.COMPLETED).result().getString("filler")).hasSize(10);
  }
}
