package dev.surge.arbiter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The watchdog for gunicorn's {@code timeout}: an event loop or worker thread blocked past its limit
 * ({@code vertx.maxEventLoopExecuteTime}, {@code worker.maxExecuteTime}) is logged once with its stack, counted,
 * and reported by readiness as degraded; an event loop's instances are replaced. A JVM cannot stop a thread, so
 * once one has been blocked for {@code watchdog.failAfter} readiness fails, and once an event loop has, liveness
 * fails too, for the orchestrator to restart the process: the equivalent of gunicorn's kill.
 *
 * <p>An event loop's instances are replaced only once the loop is seen stuck in its code, not waiting for a
 * processor: from its second report on, each second since the last is judged by the kernel's count
 * ({@link RunQueue}), and two judged stuck in a row replace them; a second spent mostly runnable but queued, and
 * little on a processor (a starved host, a container at its CPU quota), keeps them, for a replacement there would
 * only add a start and a hand-off to what the machine lacks. Such episodes are counted in
 * {@code surge_event_loops_starved_total}. Without the kernel's figures the first report replaces them. Readiness
 * and liveness still fail at {@code watchdog.failAfter}, by the clock, starved or not: a process starved that long
 * serves no one.
 *
 * <p>Vert.x's blocked-thread checker finds the threads (it sees every event loop and worker task start and end)
 * but only logs; its handler, an internal API, is replaced by this one, which logs once per episode instead of
 * every second.
 */
public final class BlockedThreads {

  private static final Logger LOG = LoggerFactory.getLogger(BlockedThreads.class);
  /** The checker reports a blocked thread every second (Vert.x's default interval); unreported longer, it returned. */
  private static final long RETURNED_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(2500);
  /**
   * Intervals judged stuck in a row before a loop's instances are replaced: one interval's figures can mislead
   * (a wait the kernel adds late, a safepoint's sleep inside a starved second), two in a row seldom do.
   */
  private static final int STUCK_INTERVALS = 2;
  /**
   * Shorter than this, an interval says too little (a tick's accounting, a slice) to judge by: reports of one
   * thread came 0 and 47 ms apart in the tests, with the checker at 100 ms.
   */
  private static final long MIN_JUDGED_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final long failAfterNanos;
  private final Consumer<String> onEventLoopBlocked;
  private final Map<Thread, Episode> episodes = new ConcurrentHashMap<>();
  private final Counter eventLoops;
  private final Counter workers;
  private final Counter starved;
  private final RunQueue runQueue;

  private static final class Episode {
    final long startNanos;
    final boolean eventLoop;
    volatile long lastSeenNanos;
    // on the checker's thread only: an event loop's verdict, judged at each report until its instances are replaced
    RunQueue.Sample lastSample;
    int stuckInARow;
    boolean countedStarved;
    boolean replaced;
    volatile boolean starved;

    Episode(long startNanos, boolean eventLoop, long lastSeenNanos) {
      this.startNanos = startNanos;
      this.eventLoop = eventLoop;
      this.lastSeenNanos = lastSeenNanos;
    }
  }

  /** The threads still blocked, and whether one of them has been for {@code watchdog.failAfter}. */
  private record Blocked(JsonArray threads, boolean failed) {
  }

  BlockedThreads(Vertx vertx, MeterRegistry registry, Duration failAfter, Consumer<String> onEventLoopBlocked) {
    this.failAfterNanos = failAfter.toNanos();
    this.onEventLoopBlocked = onEventLoopBlocked;
    this.eventLoops = counter(registry, "event-loop");
    this.workers = counter(registry, "worker");
    this.starved = Counter.builder("surge_event_loops_starved").description("Event loops over their limit judged "
      + "waiting for a processor rather than stuck (the host or the container's CPU is short), once an episode: their "
      + "instances kept while so").register(registry);
    this.runQueue = new RunQueue(vertx);
    Gauge.builder("surge_blocked_threads_now", episodes, e -> e.values().stream().filter(this::stillBlocked).count())
      .description("Threads blocked past their limit now").register(registry);
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(this::blocked);
  }

  private static Counter counter(MeterRegistry registry, String kind) {
    return Counter.builder("surge_blocked_threads").tag("kind", kind)
      .description("Times a thread was blocked past its limit (one per episode, however long)").register(registry);
  }

  /** On the checker's thread, every second for each thread still blocked. */
  private void blocked(BlockedThreadEvent event) {
    long now = System.nanoTime();
    long start = now - event.duration();
    Thread thread = event.thread();
    Episode episode = episodes.get(thread);
    // One episode while the task began before the last report: the checker's reports may come late, and this
    // handler later still (a starved host), which makes the start found here later than the task's.
    if (episode != null && start < episode.lastSeenNanos) {
      episode.lastSeenNanos = now;
      if (episode.eventLoop && !episode.replaced) {
        judge(thread, episode);
      }
      return;
    }
    boolean eventLoop = thread.getName().startsWith("vert.x-eventloop-thread-");
    episode = new Episode(start, eventLoop, now);
    episodes.put(thread, episode);
    (eventLoop ? eventLoops : workers).increment();
    VertxException stack = new VertxException("Thread blocked");
    stack.setStackTrace(thread.getStackTrace());
    LOG.warn("Thread {} has been blocked for {} ms, over its limit of {} ms; readiness reports it, and fails if it "
      + "stays blocked for {} ms{}", thread.getName(), event.duration() / 1_000_000, event.maxExecTime() / 1_000_000,
      failAfterNanos / 1_000_000, eventLoop ? ", and so does liveness" : "", stack);
    if (eventLoop) {
      episode.lastSample = runQueue.sample(thread);
      if (episode.lastSample == null) { // nothing to judge by: the clock says blocked
        replace(thread, episode);
      }
    }
  }

  /** At each report after an event loop's first: stuck in its code, or kept off the processors, since the last. */
  private void judge(Thread thread, Episode episode) {
    RunQueue.Sample sample = runQueue.sample(thread);
    if (sample != null && sample.atNanos() - episode.lastSample.atNanos() < MIN_JUDGED_NANOS) {
      return; // a report right after the last: too short to say, the next will
    }
    if (sample != null) {
      sample = sample.after(episode.lastSample);
    }
    if (sample == null || !sample.starvedSince(episode.lastSample)) { // no figures now: the clock says blocked
      episode.starved = false;
      if (++episode.stuckInARow >= STUCK_INTERVALS) {
        replace(thread, episode);
      } else if (sample != null) {
        episode.lastSample = sample;
      }
      return;
    }
    episode.stuckInARow = 0;
    if (!episode.countedStarved) {
      episode.countedStarved = true;
      starved.increment();
      LOG.warn("Thread {} spent {}% of the last {} ms waiting for a processor and {}% on one: the host, or the "
          + "container's CPU quota, is short of processors, not the loop; its instances are kept", thread.getName(),
        Math.round(sample.waitingShareSince(episode.lastSample) * 100),
        Math.round((sample.atNanos() - episode.lastSample.atNanos()) / 1e6),
        Math.round(sample.onCpuShareSince(episode.lastSample) * 100));
    }
    episode.starved = true;
    episode.lastSample = sample;
  }

  private void replace(Thread thread, Episode episode) {
    episode.replaced = true;
    onEventLoopBlocked.accept(thread.getName());
  }

  private boolean stillBlocked(Episode episode) {
    return System.nanoTime() - episode.lastSeenNanos < RETURNED_AFTER_NANOS;
  }

  /**
   * For readiness: UP when no thread is blocked; UP but {@code degraded}, naming the threads, while some are;
   * DOWN once one has been blocked for {@code watchdog.failAfter}.
   */
  public Status status() {
    Blocked blocked = blocked(false);
    if (blocked.threads().isEmpty()) {
      return Status.OK();
    }
    JsonObject data = new JsonObject().put("degraded", true).put("blocked", blocked.threads());
    return blocked.failed() ? Status.KO(data.put("reason", "a thread has been blocked for watchdog.failAfter or longer"))
      : Status.OK(data);
  }

  /**
   * For liveness: DOWN, naming the loops, while an event loop has been blocked for {@code watchdog.failAfter} or
   * longer; UP otherwise. Only event loops count: a process whose loop is stuck that long answers none of the
   * requests that loop holds and never will (a JVM cannot stop the thread), so only a restart helps; a worker
   * thread blocked that long, maybe by a slow job, leaves the loops serving and only takes the process out of
   * rotation (readiness). A loop that returns makes the process live again, as it is: what the loop was stuck on
   * is over, and a restart would only drop the requests the process is serving. The orchestrator's own threshold
   * (Kubernetes' {@code failureThreshold} times {@code periodSeconds}, Docker's {@code retries} times
   * {@code interval}) adds how long a loop may stay stuck past {@code watchdog.failAfter} before the restart.
   * Served by an event loop: with every loop stuck the probe gets no answer, which a probe counts as DOWN too.
   */
  public Status liveness() {
    Blocked loops = blocked(true);
    return loops.failed() ? Status.KO(new JsonObject().put("blocked", loops.threads())
      .put("reason", "an event loop has been blocked for watchdog.failAfter or longer")) : Status.OK();
  }

  /** The threads blocked now (only event loops with {@code eventLoopsOnly}); forgets those that returned. */
  private Blocked blocked(boolean eventLoopsOnly) {
    long now = System.nanoTime();
    JsonArray threads = new JsonArray();
    boolean failed = false;
    for (Map.Entry<Thread, Episode> entry : episodes.entrySet()) {
      Episode episode = entry.getValue();
      if (!stillBlocked(episode)) {
        episodes.remove(entry.getKey(), episode);
        continue;
      }
      if (eventLoopsOnly && !episode.eventLoop) {
        continue;
      }
      long blockedNanos = now - episode.startNanos;
      failed |= blockedNanos >= failAfterNanos;
      JsonObject thread = new JsonObject().put("thread", entry.getKey().getName())
        .put("blockedMs", blockedNanos / 1_000_000);
      threads.add(episode.starved ? thread.put("waitingForProcessor", true) : thread);
    }
    return new Blocked(threads, failed);
  }
}
