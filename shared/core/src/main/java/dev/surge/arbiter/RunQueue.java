package dev.surge.arbiter;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an event loop's time went, by the kernel's count: on a processor, or runnable and waiting for one (Linux's
 * per-thread scheduler statistics, {@code /proc/self/task/<tid>/schedstat}). A loop over its limit because the host
 * (or the container's CPU quota) gave it no processor is not a loop stuck in its code: on a starved machine both
 * look the same to Vert.x's checker, which only sees the time since a task began.
 *
 * <p>The JVM does not give a thread's native id, so each event loop reads its own ({@code /proc/thread-self}) once,
 * as this starts. Written here because nothing we use reads the per-thread figures: the JDK's
 * {@code ThreadMXBean} counts only the time on a processor, which a loop in a blocking call and a loop kept off the
 * processors both lack. Where the files are missing (not Linux) or empty, {@link #sample} returns null and the
 * watchdog judges by the clock alone, as before.
 */
final class RunQueue {

  /**
   * A thread's totals since it started, when they were read, and whether it was runnable then (on a processor or
   * queued for one; not asleep in a call).
   */
  record Sample(long atNanos, long onCpuNanos, long waitingNanos, boolean runnable) {

    /**
     * The share of the time since {@code earlier} the thread spent runnable but off the processors, 0 to 1. The
     * kernel adds a wait to the thread's total only as the thread gets a processor, so a thread queued still is
     * counted from the time it did not spend on one.
     */
    double waitingShareSince(Sample earlier) {
      long elapsed = atNanos - earlier.atNanos;
      if (elapsed <= 0) {
        return 0;
      }
      long waited = waitingNanos - earlier.waitingNanos;
      if (runnable) {
        waited = Math.max(waited, elapsed - (onCpuNanos - earlier.onCpuNanos));
      }
      return Math.min(1, Math.max(0, waited) / (double) elapsed);
    }
  }

  private static final Path THREAD_SELF = Path.of("/proc/thread-self");
  private final Map<Thread, Path> tasks = new ConcurrentHashMap<>(); // /proc/<pid>/task/<tid>

  /** Has each of the Vert.x instance's event loops note its native id (a task each, run as the loop gets to it). */
  RunQueue(Vertx vertx) {
    if (!Files.isDirectory(THREAD_SELF)) {
      return;
    }
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loop.execute(this::noteCurrentThread);
    }
  }

  /** On the event loop itself: a read of a link in procfs, no disk behind it, once per loop. */
  private void noteCurrentThread() {
    try {
      // "<pid>/task/<tid>", relative to /proc
      Path task = Files.readSymbolicLink(THREAD_SELF);
      tasks.put(Thread.currentThread(), THREAD_SELF.getParent().resolve(task));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // left out: the watchdog judges this loop by the clock alone
    }
  }

  /** The thread's totals now; null for a thread that is not a known loop, or where the kernel keeps none. */
  Sample sample(Thread thread) {
    Path task = tasks.get(thread);
    if (task == null) {
      return null;
    }
    try { // blocking, but procfs reads on the checker's own thread, never a loop
      String[] fields = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
      long onCpu = Long.parseLong(fields[0]);
      long waiting = Long.parseLong(fields[1]);
      String stat = Files.readString(task.resolve("stat"));
      // "<tid> (<name>) <state> ...": the name may hold spaces and parentheses, the state follows the last ')'
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      // "0 0 0" where the kernel keeps no scheduler statistics (CONFIG_SCHED_INFO off)
      return onCpu == 0 && waiting == 0 ? null : new Sample(System.nanoTime(), onCpu, waiting, state == 'R');
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
