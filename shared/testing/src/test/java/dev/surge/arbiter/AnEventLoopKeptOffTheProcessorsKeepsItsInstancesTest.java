package dev.surge.arbiter;

import dev.surge.testing.Starvation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A loop over its limit because it got no processor (a starved host, a container at its CPU quota) keeps its
 * instances: replacing them there only adds a start and a hand-off to what the machine lacks. A loop stuck in a call
 * is replaced as before. The starved loop is made for real ({@link Starvation}: its thread at the lowest priority,
 * on one processor with two busy threads). How a busy loop is told from a starved one:
 * {@link AStarvedLoopIsToldFromABusyOrSleepingOneTest}.
 */
class AnEventLoopKeptOffTheProcessorsKeepsItsInstancesTest {

  private Vertx vertx;
  private SimpleMeterRegistry registry;
  private BlockedThreads watchdog;
  private final List<String> replaced = new CopyOnWriteArrayList<>();

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
    vertx.close().await(); // its loops end with it, the lowered one too
  }

  @Test
  void aLoopWaitingForAProcessorIsCountedAsStarvedAndItsInstancesAreKept() throws Exception {
    assumeTrue(Starvation.available(), "Linux with taskset and renice");
    Context loop = vertx.getOrCreateContext();
    CompletableFuture<String[]> thread = new CompletableFuture<>();
    loop.runOnContext(v -> thread.complete(new String[]{Thread.currentThread().getName(), Starvation.nativeId()}));
    String name = thread.get(10, TimeUnit.SECONDS)[0];
    try (Starvation starvation = Starvation.start()) {
      starvation.starve(thread.get()[1]); // while the loop is idle: asleep, not waiting for a processor

      CompletableFuture<Void> spun = new CompletableFuture<>();
      loop.runOnContext(v -> { // runnable for 2.5 s, on a processor as much as the kernel lets it
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        spun.complete(null);
      });
      String readiness = "";
      while (!spun.isDone() && !readiness.contains("waitingForProcessor")) {
        readiness = String.valueOf(watchdog.status().getData());
        Thread.sleep(20);
      }
      spun.get(60, TimeUnit.SECONDS);
      Thread.sleep(300); // the checker's last reports
      assertThat(readiness).as("readiness names the loop as waiting for a processor, while it waits")
        .contains("\"thread\":\"" + name + "\"").contains("\"waitingForProcessor\":true");
    }
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
}
