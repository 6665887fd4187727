package dev.surge.jobservice.reports;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twice as many exports at once as the pool has connections, with a one-second lease: each export holds one
 * connection, only a share of the pool's at once, and reports progress through it, so every export completes on
 * its first attempt and the node keeps renewing its leases all along (nothing is rescued).
 */
class MoreReportExportsThanConnectionsTest {

  private static final int POOL = 4;
  private static final int EXPORTS = 2 * POOL;
  private static final int ROWS = 20_000;
  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("pg.poolSize", POOL, "jobs.lease", "1s"));

  @BeforeAll
  static void createProducts() throws Exception {
    Products.create(service, ROWS);
  }

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void everyExportCompletesOnItsFirstAttemptAndNoLeaseExpires() {
    JobQueue jobs = JobRuns.jobs(service);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < EXPORTS; i++) {
      ids.add(TestService.await(jobs.enqueue(new JobRequest("report.export", new JsonObject().put("report", "products"))
        .setMaxAttempts(1))).id());
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    List<Job> done = new ArrayList<>();
    for (long id : ids) {
      Job job = TestService.await(jobs.get(id));
      while (!job.state().isFinal()) {
        assertThat(System.nanoTime()).as("export %d still %s", id, job.state()).isLessThan(deadline);
        JobRuns.sleep(50);
        job = TestService.await(jobs.get(id));
      }
      done.add(job);
    }

    for (Job job : done) {
      assertThat(job.state()).as("job %s", job).isEqualTo(JobState.COMPLETED);
      assertThat(job.attempt()).isEqualTo(1);
      assertThat(job.errors()).isEmpty();
      assertThat(job.result().getLong("rows")).isEqualTo(ROWS);
      assertThat(DATA.resolve(job.result().getString("file"))).isRegularFile();
      assertThat(job.progress()).isEqualTo(100);
    }
    Counter rescued = service.running().context().registry().find("surge_jobs_rescued").counter();
    assertThat(rescued == null ? 0 : rescued.count()).as("jobs rescued after a lease expired").isZero();
  }
}
