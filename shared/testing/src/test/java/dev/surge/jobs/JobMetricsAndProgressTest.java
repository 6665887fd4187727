package dev.surge.jobs;

import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class JobMetricsAndProgressTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(TestJobs.definition(), TestJobs.FAST);

  @Test
  void progressReportedByAHandlerIsStoredWithTheJob() {
    JobQueue jobs = TestJobs.jobs(service);
    Job job = await(jobs.enqueue(new JobRequest("test.sleep", new JsonObject().put("ms", 60_000).put("progress", true))));
    long deadline = System.nanoTime() + 10_000_000_000L;
    Job seen = await(jobs.get(job.id()));
    while (seen.progress() == null && System.nanoTime() < deadline) {
      TestJobs.sleep(20);
      seen = await(jobs.get(job.id()));
    }
    assertThat(seen.progress()).isEqualTo(50);
    assertThat(seen.progressMessage()).isEqualTo("half way");
    await(jobs.cancel(job.id()));
  }

  @Test
  void jobsAreCountedByQueueAndTypeWithLatencyAndDepth() {
    JobQueue jobs = TestJobs.jobs(service);
    Job ok = await(jobs.enqueue(new JobRequest("test.echo").setQueue("limited")));
    Job bad = await(jobs.enqueue(new JobRequest("test.fail").setMaxAttempts(2)));
    TestJobs.awaitState(jobs, ok.id(), JobState.COMPLETED);
    TestJobs.awaitState(jobs, bad.id(), JobState.DISCARDED);

    String metrics = service.get("/metrics").bodyAsString();
    String limitedEcho = "queue=\"limited\",service=\"jobtest\",type=\"test.echo\"";
    String failing = "type=\"test.fail\"";
    assertThat(MetricsScrape.sum(metrics, "surge_jobs_enqueued_total", limitedEcho)).isEqualTo(1);
    assertThat(MetricsScrape.sum(metrics, "surge_jobs_started_total", limitedEcho)).isEqualTo(1);
    assertThat(MetricsScrape.sum(metrics, "surge_jobs_completed_total", limitedEcho)).isEqualTo(1);
    assertThat(MetricsScrape.sum(metrics, "surge_jobs_failed_total", failing)).isEqualTo(2);
    assertThat(MetricsScrape.sum(metrics, "surge_jobs_retried_total", failing)).isEqualTo(1);
    assertThat(MetricsScrape.sum(metrics, "surge_jobs_discarded_total", failing)).isEqualTo(1);
    assertThat(MetricsScrape.sum(metrics, "surge_jobs_start_latency_seconds_count", limitedEcho)).isEqualTo(1);
    assertThat(MetricsScrape.sum(metrics, "surge_jobs_run_duration_seconds_count", failing)).isEqualTo(2);
    assertThat(metrics).contains("surge_jobs_start_latency_seconds_bucket{");

    await(jobs.pause("ordered"));
    await(jobs.enqueue(new JobRequest("test.echo").setQueue("ordered")));
    MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(service.get("/metrics").bodyAsString(), "surge_jobs_depth",
      "queue=\"ordered\"", "state=\"available\""), "depth of the paused queue", 1);
    await(jobs.resume("ordered"));
  }
}
