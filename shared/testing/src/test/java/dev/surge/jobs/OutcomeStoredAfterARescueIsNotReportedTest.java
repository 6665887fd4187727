package dev.surge.jobs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job completes while its node is cut off from PostgreSQL; the node keeps trying to store the outcome, but the
 * cut lasts longer than the lease and the rescuer hands the job back to the queue first. When the node is back,
 * its write finds the job no longer its attempt's and updates nothing: the outcome is counted as stale and logged,
 * not reported as the job's completion; the job runs again and completes once.
 */
class OutcomeStoredAfterARescueIsNotReportedTest {

  @Test
  void aCompletionThatUpdatesNoRowIsCountedNotReported() {
    try (CutOffNode cluster = CutOffNode.start()) {
      long id = cluster.enqueue(1).id();
      CutOffNode.awaitStarted(id, 1);

      cluster.proxy.refuse(true); // the node is cut off PostgreSQL: no new connection, the open ones closed
      cluster.proxy.closeAll();
      CutOffNode.release(id, 1); // completes, but cannot be stored
      cluster.await(id, JobState.AVAILABLE);
      cluster.proxy.refuse(false);

      Job done = cluster.await(id, JobState.COMPLETED);
      cluster.awaitCount("surge_jobs_stale_outcomes", 1);

      assertThat(done.attempt()).isEqualTo(2);
      assertThat(done.result().getInteger("attempt")).isEqualTo(2);
      assertThat(cluster.awaitCompletedEvents(id)).containsExactly(2);
      assertThat(cluster.count("surge_jobs_completed")).isEqualTo(1);
      assertThat(cluster.count("surge_jobs_stale_outcomes")).isEqualTo(1);
    }
  }
}
