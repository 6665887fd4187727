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

  /** A thread that spent at least this share of an interval runnable but off the processors was kept off them... */
  static final double STARVED_WAITING_SHARE = 0.5;
  /** ...unless it had this share on a processor: a loop running that much is busy in its own code, however short. */
  static final double BUSY_SHARE = 0.25;

  /**
   * A thread's totals since it started (time on a processor, time runnable but queued, times it gave a processor
   * up to wait in a call or on a lock), when they were read, whether it was runnable then (on a processor or
   * queued; not asleep), and the wait the kernel has not added yet (below).
   */
  record Sample(long atNanos, long onCpuNanos, long waitingNanos, long timesAsleep, boolean runnable,
                long pendingNanos) {

    /**
     * This sample, read as {@code earlier}'s successor. The kernel adds a wait to the thread's total only as the
     * thread next gets a processor. A thread runnable at both reads that did not once wait in a call or on a lock
     * in between spent every moment off a processor queued for one: what of that the kernel has not added yet is
     * pending, counted now and not again when the kernel adds it. Otherwise (asleep at either read, or in between)
     * only the kernel's waits count: a thread woken from a call is not taken for a queued one.
     */
    Sample after(Sample earlier) {
      long pending = 0;
      if (runnable && earlier.runnable && timesAsleep == earlier.timesAsleep) {
        long offCpu = Math.max(0, atNanos - earlier.atNanos) - (onCpuNanos - earlier.onCpuNanos);
        pending = Math.max(0, earlier.pendingNanos + offCpu - (waitingNanos - earlier.waitingNanos));
      }
      return new Sample(atNanos, onCpuNanos, waitingNanos, timesAsleep, runnable, pending);
    }

    /**
     * Whether, since {@code earlier}, the thread was mostly kept off the processors rather than busy or asleep:
     * runnable but queued for {@link #STARVED_WAITING_SHARE} of the time or more, and on a processor for less than
     * {@link #BUSY_SHARE}. A loop spinning in its code on a host it shares (every loop spinning, a container's
     * quota under one processor) waits too, but runs: it is stuck, not starved.
     */
    boolean starvedSince(Sample earlier) {
      return waitingShareSince(earlier) >= STARVED_WAITING_SHARE && onCpuShareSince(earlier) < BUSY_SHARE;
    }

    /** The share of the time since {@code earlier} spent queued for a processor: the kernel's waits and those pending. */
    double waitingShareSince(Sample earlier) {
      return share(waitingNanos + pendingNanos - earlier.waitingNanos - earlier.pendingNanos, earlier);
    }

    double onCpuShareSince(Sample earlier) {
      return share(onCpuNanos - earlier.onCpuNanos, earlier);
    }

    private double share(long nanos, Sample earlier) {
      long elapsed = atNanos - earlier.atNanos;
      return elapsed <= 0 ? 0 : Math.min(1, Math.max(0, nanos) / (double) elapsed);
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
      long at = System.nanoTime();
      String[] fields = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
      long onCpu = Long.parseLong(fields[0]);
      long waiting = Long.parseLong(fields[1]);
      String stat = Files.readString(task.resolve("stat"));
      // "<tid> (<name>) <state> ...": the name may hold spaces and parentheses, the state follows the last ')'
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      long asleep = Files.readAllLines(task.resolve("status")).stream()
        .filter(line -> line.startsWith("voluntary_ctxt_switches:")).findFirst()
        .map(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).orElse(-1L);
      // "0 0 0" where the kernel keeps no scheduler statistics (CONFIG_SCHED_INFO off)
      return onCpu == 0 && waiting == 0 || asleep < 0 ? null
        : new Sample(at, onCpu, waiting, asleep, state == 'R', 0);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
