package dev.surge.jobs;

import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinishedJobsArePrunedTest {

  @Test
  void completedAndDiscardedJobsAreDeletedAfterTheRetentionAndUnfinishedOnesKept() {
    Map<String, Object> config = new HashMap<>(TestJobs.FAST);
    config.put("jobs.retention", "1s");
    try (TestService service = TestService.start(TestJobs.definition(), config)) {
      JobQueue jobs = TestJobs.jobs(service);
      Job completed = await(jobs.enqueue(new JobRequest("test.echo")));
      Job discarded = await(jobs.enqueue(new JobRequest("test.fail").setMaxAttempts(1)));
      Job waiting = await(jobs.enqueue(new JobRequest("test.echo").setRunAt(java.time.Instant.now().plusSeconds(3600))));
      TestJobs.awaitState(jobs, completed.id(), JobState.COMPLETED);
      TestJobs.awaitState(jobs, discarded.id(), JobState.DISCARDED);

      long deadline = System.nanoTime() + 15_000_000_000L;
      while (System.nanoTime() < deadline && exists(jobs, completed.id()) | exists(jobs, discarded.id())) {
        TestJobs.sleep(100);
      }
      assertThatThrownBy(() -> await(jobs.get(completed.id()))).isInstanceOf(JobNotFoundException.class);
      assertThatThrownBy(() -> await(jobs.get(discarded.id()))).isInstanceOf(JobNotFoundException.class);
      assertThat(await(jobs.get(waiting.id())).state()).isEqualTo(JobState.SCHEDULED);
    }
  }

  private static boolean exists(JobQueue jobs, long id) {
    try {
      await(jobs.get(id));
      return true;
    } catch (JobNotFoundException e) {
      return false;
    }
  }
}
