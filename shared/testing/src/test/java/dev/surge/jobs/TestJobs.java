package dev.surge.jobs;

import dev.surge.pg.PostgresComponent;
import dev.surge.pg.JobsComponent;
import dev.surge.ServiceDefinition;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node of the job queue with job types made to test it, and what they saw. Tests run one after another in
 * one JVM, so each resets the records it reads with {@link #reset()}.
 */
final class TestJobs {

  /** Job ids in the order their handlers started. */
  static final Queue<Long> started = new ConcurrentLinkedQueue<>();
  /** Handler runs per job id: more than one at a time for an id would mean it ran twice at once. */
  static final Map<Long, AtomicInteger> runningNow = new ConcurrentHashMap<>();
  static final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
  static final Queue<String> overlaps = new ConcurrentLinkedQueue<>();
  /** Handlers running at once, per queue, and the most seen. */
  static final Map<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> maxConcurrent = new ConcurrentHashMap<>();
  /** Ids of jobs whose handler saw its cancellation, with the reason. */
  static final Map<Long, String> sawCancellation = new ConcurrentHashMap<>();

  static final Map<String, Object> FAST = Map.of(
    "jobs.pollInterval", "100ms",
    "jobs.backoffBase", "20ms",
    "jobs.lease", "1s",
    "jobs.queues", "default=10,limited=3,ordered=1");

  private TestJobs() {
  }

  static void reset() {
    started.clear();
    runningNow.clear();
    runs.clear();
    overlaps.clear();
    concurrent.clear();
    maxConcurrent.clear();
    sawCancellation.clear();
  }

  static ServiceDefinition definition() {
    return ServiceDefinition.builder("jobtest")
      .defaultPort(0)
      .http(ctx -> router -> router.get("/").handler(rc -> rc.end("jobs under test")))
      .use(PostgresComponent.create()).use(JobsComponent.of((ctx, jobs) -> jobs
        .register("test.echo", ThreadingModel.EVENT_LOOP, job -> Future.succeededFuture(where(job)))
        .register("test.blocking", ThreadingModel.WORKER, job -> {
          Thread.sleep(job.args().getLong("ms", 10L)); // blocking on purpose: a worker thread
          return Future.succeededFuture(where(job));
        })
        .register("test.sequential", ThreadingModel.VIRTUAL_THREAD, job -> tracked(job, () -> {
          job.await(job.vertx().timer(job.args().getLong("ms", 10L)));
          return Future.succeededFuture(where(job));
        }))
        .register("test.sleep", ThreadingModel.EVENT_LOOP, job -> tracked(job, () -> {
          long ms = job.attempt() > 1 && job.args().containsKey("msAfterFirst")
            ? job.args().getLong("msAfterFirst") : job.args().getLong("ms", 10L);
          Future<Void> reported = job.args().getBoolean("progress", false)
            ? job.progress(50, "half way") : Future.succeededFuture();
          return reported.compose(v -> job.guard(job.vertx().timer(ms)))
            .onFailure(err -> {
              if (err instanceof JobCancelledException) {
                sawCancellation.put(job.id(), err.getMessage());
              }
            })
            .map(v -> new JsonObject().put("slept", ms));
        }))
        .register("test.result", ThreadingModel.EVENT_LOOP, job -> Future.succeededFuture(
          new JsonObject().put("filler", job.args().getBoolean("nul", false) ? "a\u0000b"
            : "x".repeat(job.args().getInteger("size")))))
        .register("test.fail", ThreadingModel.EVENT_LOOP, job -> {
          if (job.args().getBoolean("permanently", false)) {
            return Future.failedFuture(new PermanentJobFailure("no retry can fix attempt " + job.attempt()));
          }
          if (job.attempt() <= job.args().getInteger("failures", Integer.MAX_VALUE)) {
            throw new IllegalStateException("failure on attempt " + job.attempt());
          }
          return Future.succeededFuture(new JsonObject().put("succeededOnAttempt", job.attempt()));
        })))
      .build();
  }

  static TestService start() {
    return TestService.start(definition(), FAST);
  }

  static JobQueue jobs(TestService service) {
    return JobsComponent.queue(service.running().context());
  }

  private static Future<JsonObject> tracked(JobContext job, java.util.concurrent.Callable<Future<JsonObject>> body)
    throws Exception {
    started.add(job.id());
    runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
    if (runningNow.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet() > 1) {
      overlaps.add("job " + job.id() + " ran twice at once");
    }
    int now = concurrent.computeIfAbsent(job.queue(), q -> new AtomicInteger()).incrementAndGet();
    maxConcurrent.computeIfAbsent(job.queue(), q -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    Future<JsonObject> result;
    try {
      result = body.call();
    } catch (Exception e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(ar -> {
      concurrent.get(job.queue()).decrementAndGet();
      runningNow.get(job.id()).decrementAndGet();
    });
  }

  private static JsonObject where(JobContext job) {
    return new JsonObject()
      .put("thread", Thread.currentThread().getName())
      .put("virtual", Thread.currentThread().isVirtual())
      .put("args", job.args());
  }

  /** Polls the job until it is in one of {@code states}, for up to 30 seconds. */
  static Job awaitState(JobQueue jobs, long id, JobState... states) {
    List<JobState> wanted = List.of(states);
    long deadline = System.nanoTime() + 30_000_000_000L;
    Job job = null;
    while (System.nanoTime() < deadline) {
      job = TestService.await(jobs.get(id));
      if (wanted.contains(job.state())) {
        return job;
      }
      sleep(20);
    }
    throw new AssertionError("job " + id + " never reached " + wanted + "; it is " + job);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
