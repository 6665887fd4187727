package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class JobsRunOnEachThreadingModelTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @BeforeEach
  void reset() {
    TestJobs.reset();
  }

  @Test
  void anEventLoopJobRunsOnAnEventLoopAndStoresItsResult() {
    JobQueue jobs = TestJobs.jobs(service);
    Job enqueued = await(jobs.enqueue(new JobRequest("test.echo", new JsonObject().put("n", 7))));
    assertThat(enqueued.state()).isEqualTo(JobState.AVAILABLE);
    assertThat(enqueued.queue()).isEqualTo("default");

    Job done = TestJobs.awaitState(jobs, enqueued.id(), JobState.COMPLETED);
    assertThat(done.result().getString("thread")).startsWith("vert.x-eventloop-thread");
    assertThat(done.result().getJsonObject("args").getInteger("n")).isEqualTo(7);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.finishedAt()).isNotNull();
  }

  @Test
  void aWorkerJobRunsOnTheJobWorkerPool() {
    JobQueue jobs = TestJobs.jobs(service);
    Job done = TestJobs.awaitState(jobs,
      await(jobs.enqueue(new JobRequest("test.blocking", new JsonObject().put("ms", 50)))).id(), JobState.COMPLETED);
    assertThat(done.result().getString("thread")).startsWith("surge-jobs-");
    assertThat(done.result().getBoolean("virtual")).isFalse();
  }

  @Test
  void virtualThreadJobsRunOnVirtualThreadsAndAwaitSideBySide() {
    JobQueue jobs = TestJobs.jobs(service);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(await(jobs.enqueue(new JobRequest("test.sequential", new JsonObject().put("ms", 400)))).id());
    }
    for (long id : ids) {
      Job done = TestJobs.awaitState(jobs, id, JobState.COMPLETED);
      assertThat(done.result().getBoolean("virtual")).isTrue();
    }
    assertThat(TestJobs.maxConcurrent.get("default").get())
      .as("sequential jobs that await do not hold one another up").isGreaterThan(1);
  }
}
