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

class QueueLimitTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @BeforeEach
  void reset() {
    TestJobs.reset();
  }

  @Test
  void aQueueNeverRunsMoreThanItsLimitAtOnceUnderLoad() {
    JobQueue jobs = TestJobs.jobs(service);
    List<JobRequest> requests = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      requests.add(new JobRequest("test.sleep", new JsonObject().put("ms", 15)).setQueue("limited"));
    }
    List<Long> ids = await(jobs.enqueueAll(requests));
    for (long id : ids) {
      TestJobs.awaitState(jobs, id, JobState.COMPLETED);
    }
    assertThat(TestJobs.maxConcurrent.get("limited").get()).isEqualTo(3);
    assertThat(TestJobs.started).hasSize(60);
  }
}
