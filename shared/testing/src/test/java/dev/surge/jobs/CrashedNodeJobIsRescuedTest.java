package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class CrashedNodeJobIsRescuedTest {

  @Test
  void aJobWhoseNodeDiedMidRunIsRescuedAndCompletedByAnotherNode() {
    TestJobs.reset();
    try (TestService survivor = TestJobs.start()) {
      TestService doomed = TestService.anotherNode(survivor, TestJobs.definition(), TestJobs.FAST);
      try {
        JobQueue survivorJobs = TestJobs.jobs(survivor);
        // Either node may claim the job: retry until the doomed one holds it.
        Job job;
        String runner;
        do {
          job = await(TestJobs.jobs(doomed).enqueue(new JobRequest("test.sleep",
            new JsonObject().put("ms", 60_000).put("msAfterFirst", 5))));
          runner = TestJobs.awaitState(survivorJobs, job.id(), JobState.RUNNING).node();
          if (!runner.equals(TestJobs.jobs(doomed).options().getNodeName())) {
            await(survivorJobs.cancel(job.id()));
            job = null;
          }
        } while (job == null);

        doomed.crash();

        Job done = TestJobs.awaitState(survivorJobs, job.id(), JobState.COMPLETED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.node()).isEqualTo(survivorJobs.options().getNodeName());
        assertThat(done.errors().getJsonObject(0).getString("error")).startsWith("lease expired: node " + runner);
      } finally {
        doomed.close();
      }
    }
  }
}
