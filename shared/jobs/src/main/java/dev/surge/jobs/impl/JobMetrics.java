package dev.surge.jobs.impl;

import dev.surge.jobs.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The queue's meters, by queue and type; the meters are looked up once per queue and type, then cached. */
final class JobMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final MultiGauge depth;

  JobMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.depth = MultiGauge.builder("surge_jobs_depth")
      .description("Unfinished jobs by queue and state, across every node and every service")
      .register(registry);
  }

  void enqueued(String queue, String type, int n) {
    counter("surge_jobs_enqueued", "Jobs enqueued (counted when the statement succeeds)", queue, type).increment(n);
  }

  void started(String queue, String type, double waitedMs) {
    counter("surge_jobs_started", "Attempts started", queue, type).increment();
    timer("surge_jobs_start_latency", "From due (enqueued, or its run-at) to its handler starting", queue, type)
      .record((long) (waitedMs * 1_000_000), TimeUnit.NANOSECONDS);
  }

  void completed(String queue, String type, long runNanos) {
    counter("surge_jobs_completed", "Attempts that completed the job", queue, type).increment();
    runDuration(queue, type, runNanos);
  }

  /** A failed attempt, and whether the job will be retried (otherwise it is discarded). */
  void failed(String queue, String type, long runNanos, boolean retried) {
    counter("surge_jobs_failed", "Attempts that failed or timed out", queue, type).increment();
    counter(retried ? "surge_jobs_retried" : "surge_jobs_discarded",
      retried ? "Failed attempts scheduled to run again" : "Jobs discarded after their last attempt", queue, type)
      .increment();
    runDuration(queue, type, runNanos);
  }

  void cancelled(String queue, String type) {
    counter("surge_jobs_cancelled", "Running attempts cancelled through the API", queue, type).increment();
  }

  void rescued(String queue, String type) {
    counter("surge_jobs_rescued", "Jobs whose node stopped renewing their lease, handed back to the queue", queue, type)
      .increment();
  }

  /** An attempt's outcome not stored because the attempt no longer held its job (lease lost and rescued, cancelled). */
  void staleOutcome(String queue, String type) {
    counter("surge_jobs_stale_outcomes",
      "Outcomes of attempts that had lost their job (lease expired and rescued, or cancelled): not stored", queue, type)
      .increment();
  }

  void depth(Map<String, Map<JobState, Long>> byQueue) {
    List<MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
    byQueue.forEach((queue, states) -> states.forEach((state, count) ->
      rows.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", state.wire()), count))));
    depth.register(rows, true);
  }

  private void runDuration(String queue, String type, long nanos) {
    timer("surge_jobs_run_duration", "How long attempts ran", queue, type).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter counter(String name, String description, String queue, String type) {
    return counters.computeIfAbsent(name + '\0' + queue + '\0' + type, k -> Counter.builder(name)
      .description(description).tags("queue", queue, "type", type).register(registry));
  }

  private Timer timer(String name, String description, String queue, String type) {
    return timers.computeIfAbsent(name + '\0' + queue + '\0' + type, k -> Timer.builder(name)
      .description(description).tags("queue", queue, "type", type)
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
      .register(registry));
  }
}
