package dev.surge.jobs;

import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class PauseAndResumeTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @Test
  void aPausedQueueKeepsItsJobsUntilResumed() {
    JobQueue jobs = TestJobs.jobs(service);
    QueueInfo paused = await(jobs.pause("limited"));
    assertThat(paused.paused()).isTrue();
    Job job = await(jobs.enqueue(new JobRequest("test.echo").setQueue("limited")));

    TestJobs.sleep(500); // five polls
    assertThat(await(jobs.get(job.id())).state()).isEqualTo(JobState.AVAILABLE);
    QueueInfo listed = await(jobs.queues()).stream().filter(q -> q.name().equals("limited")).findFirst().orElseThrow();
    assertThat(listed.paused()).isTrue();
    assertThat(listed.depth()).containsEntry(JobState.AVAILABLE, 1L);
    assertThat(listed.limit()).isEqualTo(3);

    assertThat(await(jobs.resume("limited")).paused()).isFalse();
    TestJobs.awaitState(jobs, job.id(), JobState.COMPLETED);
  }

  @Test
  void queuesListsConfiguredQueuesAndQueuesOnlyOtherNodesRun() {
    JobQueue jobs = TestJobs.jobs(service);
    await(jobs.enqueue(new JobRequest("test.echo").setQueue("elsewhere")));
    List<String> names = await(jobs.queues()).stream().map(QueueInfo::name).toList();
    assertThat(names).contains("default", "limited", "ordered", "elsewhere");
    QueueInfo elsewhere = await(jobs.queues()).stream().filter(q -> q.name().equals("elsewhere")).findFirst().orElseThrow();
    assertThat(elsewhere.limit()).as("not run on this node").isNull();
  }
}
