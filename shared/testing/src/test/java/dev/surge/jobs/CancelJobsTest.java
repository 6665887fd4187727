package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CancelJobsTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @BeforeEach
  void reset() {
    TestJobs.reset();
  }

  @Test
  void cancellingARunningJobTellsItsHandlerAndFreesItsSlot() {
    JobQueue jobs = TestJobs.jobs(service);
    Job long_ = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000)).setQueue("ordered")));
    TestJobs.awaitState(jobs, long_.id(), JobState.RUNNING);
    Job next = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 5)).setQueue("ordered")));

    Job cancelled = await(jobs.cancel(long_.id()));
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.finishedAt()).isNotNull();

    TestJobs.awaitState(jobs, next.id(), JobState.COMPLETED);
    assertThat(TestJobs.sawCancellation).containsEntry(long_.id(), "cancelled");
    assertThat(await(jobs.get(long_.id())).state()).as("the handler's late outcome is ignored")
      .isEqualTo(JobState.CANCELLED);
  }

  @Test
  void anAvailableOrScheduledJobIsCancelledAtOnceAndNeverRuns() {
    JobQueue jobs = TestJobs.jobs(service);
    await(jobs.pause("limited"));
    try {
      Job waiting = await(jobs.enqueue(new JobRequest("test.sleep").setQueue("limited")));
      Job later = await(jobs.enqueue(new JobRequest("test.sleep").setRunAt(java.time.Instant.now().plusSeconds(60))));
      assertThat(await(jobs.cancel(waiting.id())).state()).isEqualTo(JobState.CANCELLED);
      assertThat(await(jobs.cancel(later.id())).state()).isEqualTo(JobState.CANCELLED);
    } finally {
      await(jobs.resume("limited"));
    }
    TestJobs.sleep(300);
    assertThat(TestJobs.started).isEmpty();
  }

  @Test
  void aFinishedJobCannotBeCancelledButCanRunAgain() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.echo")));
    TestJobs.awaitState(jobs, job.id(), JobState.COMPLETED);

    assertThatThrownBy(() -> await(jobs.cancel(job.id())))
      .isInstanceOf(JobStateException.class).hasMessageContaining("is completed");
    Job again = await(jobs.retry(job.id()));
    assertThat(again.state()).isEqualTo(JobState.AVAILABLE);
    Job done = TestJobs.awaitState(jobs, job.id(), JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
  }

  @Test
  void aDiscardedJobRetriedGetsOneMoreAttempt() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.fail", new JsonObject().put("failures", 1)).setMaxAttempts(1)));
    TestJobs.awaitState(jobs, job.id(), JobState.DISCARDED);

    await(jobs.retry(job.id()));
    Job done = TestJobs.awaitState(jobs, job.id(), JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.maxAttempts()).isEqualTo(2);
  }

  @Test
  void aRunningJobCannotBeRetriedAndAMissingOneIsNotFound() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000))));
    TestJobs.awaitState(jobs, job.id(), JobState.RUNNING);
    assertThatThrownBy(() -> await(jobs.retry(job.id())))
      .isInstanceOf(JobStateException.class).hasMessageContaining("is running");
    await(jobs.cancel(job.id()));
    assertThatThrownBy(() -> await(jobs.get(987654321L))).isInstanceOf(JobNotFoundException.class);
    assertThatThrownBy(() -> await(jobs.cancel(987654321L))).isInstanceOf(JobNotFoundException.class);
  }
}
