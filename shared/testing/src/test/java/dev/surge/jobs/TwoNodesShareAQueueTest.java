package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class TwoNodesShareAQueueTest {

  private TestService first;
  private TestService second;

  @BeforeEach
  void start() {
    TestJobs.reset();
    first = TestJobs.start();
    second = TestService.anotherNode(first, TestJobs.definition(), TestJobs.FAST);
  }

  @AfterEach
  void stop() {
    second.close();
    first.close();
  }

  @Test
  void everyJobRunsOnceAndBothNodesTakeTheirShare() {
    JobQueue jobs = TestJobs.jobs(first);
    List<JobRequest> requests = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      requests.add(new JobRequest("test.sleep", new JsonObject().put("ms", 10)));
    }
    List<Long> ids = await(jobs.enqueueAll(requests));

    Set<String> nodes = new HashSet<>();
    for (long id : ids) {
      nodes.add(TestJobs.awaitState(jobs, id, JobState.COMPLETED).node());
    }
    assertThat(TestJobs.overlaps).isEmpty();
    assertThat(TestJobs.runs).hasSize(200);
    assertThat(TestJobs.runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(nodes).hasSize(2);
  }

  @Test
  void aJobEnqueuedOnOneNodeIsCancelledWhereItRuns() {
    Job job = await(TestJobs.jobs(first).enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000))));
    TestJobs.awaitState(TestJobs.jobs(first), job.id(), JobState.RUNNING);

    await(TestJobs.jobs(second).cancel(job.id()));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!TestJobs.sawCancellation.containsKey(job.id()) && System.nanoTime() < deadline) {
      TestJobs.sleep(20);
    }
    assertThat(TestJobs.sawCancellation).containsEntry(job.id(), "cancelled");
  }
}
