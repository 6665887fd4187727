package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class StoppingNodeHandsBackItsJobsTest {

  @Test
  void aJobStillRunningWhenTheGraceEndsIsCancelledAndAvailableAgainWithItsAttemptUncounted() {
    TestJobs.reset();
    try (TestService service = TestJobs.start()) {
      JobQueue jobs = TestJobs.jobs(service);
      Job job = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000))));
      TestJobs.awaitState(jobs, job.id(), JobState.RUNNING);
      Job quick = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 100))));
      TestJobs.awaitState(jobs, quick.id(), JobState.RUNNING);

      // The grace is thirty times the quick job's sleep: on a busy two-core CI machine 500 ms once proved too short
      // for a 100 ms timer and its outcome, and the quick job was handed back as if cut off.
      await(jobs.stop(Duration.ofSeconds(3)));

      assertThat(await(jobs.get(quick.id())).state()).as("finished within the grace").isEqualTo(JobState.COMPLETED);
      Job handedBack = await(jobs.get(job.id()));
      assertThat(handedBack.state()).isEqualTo(JobState.AVAILABLE);
      assertThat(handedBack.attempt()).isZero();
      assertThat(handedBack.errors().getJsonObject(0).getString("error")).startsWith("interrupted: node");
      assertThat(TestJobs.sawCancellation).containsEntry(job.id(), "node stopping");
    }
  }
}
