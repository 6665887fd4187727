package dev.surge.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class UniqueKeyTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @Test
  void aSecondEnqueueWithTheKeyOfALiveJobReturnsThatJob() {
    JobQueue jobs = TestJobs.jobs(service);
    Job first = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 300))
      .setUniqueKey("nightly-report")));
    Job second = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 1))
      .setUniqueKey("nightly-report")));

    assertThat(first.duplicate()).isFalse();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.duplicate()).isTrue();
    assertThat(second.args().getInteger("ms")).as("the first job, unchanged").isEqualTo(300);
  }

  @Test
  void onceTheJobFinishedItsKeyEnqueuesANewJob() {
    JobQueue jobs = TestJobs.jobs(service);
    Job first = await(jobs.enqueue(new JobRequest("test.echo").setUniqueKey("once-a-day")));
    TestJobs.awaitState(jobs, first.id(), JobState.COMPLETED);

    Job again = await(jobs.enqueue(new JobRequest("test.echo").setUniqueKey("once-a-day")));
    assertThat(again.id()).isNotEqualTo(first.id());
  }

  @Test
  void aBatchSkipsKeysThatAreAlive() {
    JobQueue jobs = TestJobs.jobs(service);
    await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 500)).setUniqueKey("batch-a")));
    List<Long> ids = await(jobs.enqueueAll(List.of(
      new JobRequest("test.echo").setUniqueKey("batch-a"),
      new JobRequest("test.echo").setUniqueKey("batch-b"),
      new JobRequest("test.echo"))));
    assertThat(ids).hasSize(2);
  }
}
