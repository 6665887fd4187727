package dev.surge.jobs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node cut off from PostgreSQL for longer than the lease loses its running job to the rescuer and, once back,
 * claims it again while the first attempt's handler is still stuck. When that first attempt finally returns, its
 * outcome is the lost attempt's, not the job's: it must not end the second attempt, free its slot (the queue runs
 * one job at a time) or be reported as the job's completion.
 */
class LostLeaseAttemptDoesNotEndItsSuccessorTest {

  @Test
  void theLostAttemptsLateOutcomeLeavesTheNewAttemptItsSlotAndItsOutcome() {
    try (CutOffNode cluster = CutOffNode.start()) {
      long id = cluster.enqueue(2).id();
      CutOffNode.awaitStarted(id, 1);

      cluster.proxy.refuse(true); // the node is cut off PostgreSQL: no new connection, the open ones closed
      cluster.proxy.closeAll();
      cluster.await(id, JobState.AVAILABLE); // the rescuer took it back: the lease expired
      cluster.proxy.refuse(false);
      CutOffNode.awaitStarted(id, 2); // the node found its lease lost, stopped attempt 1 and claimed the job again

      CutOffNode.release(id, 1); // attempt 1 returns at last
      cluster.awaitCount("surge_jobs_stale_outcomes", 1);
      assertThat(cluster.runningHere()).as("attempt 2 still holds the queue's one slot").isEqualTo(1);

      long next = cluster.enqueue(0).id();
      CutOffNode.release(id, 2);
      Job done = cluster.await(id, JobState.COMPLETED);
      cluster.await(next, JobState.COMPLETED);

      assertThat(done.attempt()).isEqualTo(2);
      assertThat(done.result().getInteger("attempt")).isEqualTo(2);
      assertThat(done.errors()).hasSize(1);
      assertThat(done.errors().getJsonObject(0).getString("error")).startsWith("lease expired");
      assertThat(CutOffNode.runningWhenStarted).containsOnlyKeys(id + "/1", id + "/2", next + "/1");
      assertThat(CutOffNode.runningWhenStarted.get(next + "/1"))
        .as("the next job waited for attempt 2: the queue's limit is one").doesNotContain(id + "/2");
      assertThat(cluster.awaitCompletedEvents(id)).containsExactly(2);
      cluster.awaitCount("surge_jobs_completed", 2); // the job once, the next job once
      assertThat(cluster.count("surge_jobs_completed")).isEqualTo(2);
      assertThat(cluster.count("surge_jobs_stale_outcomes")).isEqualTo(1);
    }
  }
}
