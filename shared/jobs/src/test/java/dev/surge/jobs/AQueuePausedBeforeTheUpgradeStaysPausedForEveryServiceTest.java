package dev.surge.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.surge.jobs.TablesAsOf.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queues are paused per owner since V4 (a service's pause holds its own jobs only). A queue paused before that, on
 * V3's tables, held every job in it: after the upgrade it is still paused for every service with jobs in it, and
 * none of them is claimed; resuming it for one service lets only that service's jobs be claimed.
 */
class AQueuePausedBeforeTheUpgradeStaysPausedForEveryServiceTest {

  private static final String CLAIM = "SELECT id FROM surge_jobs_claim('default', ARRAY['noop'], 10, 60000, 'test')";

  @Test
  void thePauseHoldsAfterTheUpgradeUntilEachServiceResumes(@TempDir Path dir) {
    try (TablesAsOf tables = new TablesAsOf(dir, "3")) {
      tables.query("""
        INSERT INTO surge_jobs (type, queue, state, max_attempts, timeout_ms, owner)
        VALUES ('noop', 'default', 'available', 1, 1000, 'jobs'), ('noop', 'default', 'available', 1, 1000, 'billing')
        """);
      tables.query("INSERT INTO surge_job_queues (name, paused) VALUES ('default', true)");

      tables.upgrade();

      JobQueue jobs = tables.queue(new JobQueueOptions().setOwner("jobs").setQueues(Map.of("default", 2)));
      JobQueue billing = tables.queue(new JobQueueOptions().setOwner("billing").setQueues(Map.of("default", 2)));
      assertThat(paused(jobs)).isTrue();
      assertThat(paused(billing)).isTrue();
      assertThat(tables.query(CLAIM)).as("claimed while paused").isEmpty();

      await(jobs.resume("default"));
      assertThat(paused(billing)).isTrue();
      assertThat(tables.query(CLAIM).iterator().next().getLong("id")).isEqualTo(
        tables.query("SELECT id FROM surge_jobs WHERE owner = 'jobs'").iterator().next().getLong("id"));
      assertThat(tables.query(CLAIM)).as("billing's job, still paused").isEmpty();
    }
  }

  private static boolean paused(JobQueue queue) {
    return await(queue.queues()).stream().filter(q -> q.name().equals("default")).findFirst().orElseThrow().paused();
  }
}
