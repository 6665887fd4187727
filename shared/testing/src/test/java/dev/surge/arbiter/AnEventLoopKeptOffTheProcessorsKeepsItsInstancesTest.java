package dev.surge.arbiter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loop over its limit because it got no processor (a starved host, a container at its CPU quota) keeps its
 * instances: replacing them there only adds a start and a hand-off to what the machine lacks. A loop stuck in a call
 * is replaced as before. The starved loop is made for real: its thread at the lowest priority, on one processor with
 * two busy processes of normal priority, where the kernel gives it about one per cent.
 */
class AnEventLoopKeptOffTheProcessorsKeepsItsInstancesTest {

  private Vertx vertx;
  private SimpleMeterRegistry registry;
  private BlockedThreads watchdog;
  private final List<String> replaced = new CopyOnWriteArrayList<>();
  private final List<Process> busy = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)
      .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    registry = new SimpleMeterRegistry();
    watchdog = new BlockedThreads(vertx, registry, Duration.ofMinutes(1), replaced::add);
  }

  @AfterEach
  void stop() {
    busy.forEach(Process::destroyForcibly);
    vertx.close().await(); // its loops end with it, the lowered one too
  }

  @Test
  void aLoopWaitingForAProcessorIsCountedAsStarvedAndItsInstancesAreKept() throws Exception {
    Context loop = vertx.getOrCreateContext();
    String cpu = firstAllowedProcessor();
    CompletableFuture<String[]> thread = new CompletableFuture<>();
    loop.runOnContext(v -> thread.complete(new String[]{Thread.currentThread().getName(), nativeId()}));
    String name = thread.get(10, TimeUnit.SECONDS)[0];
    String tid = thread.get()[1];
    // The loop is idle (asleep, not waiting for a processor) while it is moved and two busy processes start.
    run("renice", "-n", "19", "-p", tid);
    run("taskset", "-p", "-c", cpu, tid);
    for (int i = 0; i < 2; i++) {
      busy.add(new ProcessBuilder("taskset", "-c", cpu, "sh", "-c", "while :; do :; done").start());
    }
    Thread.sleep(200);

    CompletableFuture<Long> spun = new CompletableFuture<>();
    loop.runOnContext(v -> spun.complete(spin(TimeUnit.MILLISECONDS.toNanos(25)))); // ~2.5 s at ~1%
    String readiness = "";
    while (!spun.isDone() && !readiness.contains("waitingForProcessor")) {
      readiness = String.valueOf(watchdog.status().getData());
      Thread.sleep(20);
    }
    long wallMs = spun.get(60, TimeUnit.SECONDS);
    assertThat(readiness).as("readiness names the loop as waiting for a processor, while it waits")
      .contains("\"thread\":\"" + name + "\"").contains("\"waitingForProcessor\":true");
    Thread.sleep(300); // the checker's last reports

    assertThat(wallMs).as("the loop was kept off the processor past its limit").isGreaterThan(1000);
    assertThat(replaced).as("no replacement for " + name).isEmpty();
    assertThat(registry.get("surge_blocked_threads").tag("kind", "event-loop").counter().count())
      .as("it was over its limit: logged and counted as before").isEqualTo(1.0);
    assertThat(registry.get("surge_event_loops_starved").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aLoopStuckInACallIsReplacedStill() throws Exception {
    CompletableFuture<String> thread = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      thread.complete(Thread.currentThread().getName());
      try {
        Thread.sleep(1500); // blocking the loop on purpose: a call that does not return
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    String name = thread.get(10, TimeUnit.SECONDS);
    Thread.sleep(1700);

    assertThat(replaced).containsExactly(name);
    assertThat(registry.get("surge_event_loops_starved").counter().count()).isZero();
  }

  /** Spins until the thread has had {@code cpuNanos} on a processor; the wall time it took, in ms. */
  private static long spin(long cpuNanos) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long startCpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    while (threads.getCurrentThreadCpuTime() - startCpu < cpuNanos) {
      Thread.onSpinWait();
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static String nativeId() {
    try {
      String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "<pid>/task/<tid>"
      return link.substring(link.lastIndexOf('/') + 1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstAllowedProcessor() throws Exception {
    String list = Files.readAllLines(Path.of("/proc/self/status")).stream()
      .filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
      .substring("Cpus_allowed_list:".length()).trim();
    return list.split("[,-]")[0];
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
