package dev.surge.gateway.upstreams;

import dev.surge.testing.TestService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process's readiness checks run on no event loop that serves requests: while one such loop is blocked (a
 * handler that blocks, a long collection) an instance on another loop still hears within a few intervals that a
 * replica stopped being ready. On a request loop, the checks stopped for every instance of the process while that
 * one loop was blocked. Each loop is blocked in turn, as the checks could have landed on either.
 */
class ReadinessChecksGoOnWhileAnEventLoopIsBlockedTest {

  private static final Duration INTERVAL = Duration.ofMillis(100);

  @Test
  void anInstanceOnAFreeLoopHearsAReplicaGoNotReadyWhileTheOtherLoopIsBlocked() throws Exception {
    Vertx replicaHost = Vertx.vertx();
    Vertx gateway = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setBlockedThreadCheckInterval(60_000));
    try {
      AtomicBoolean ready = new AtomicBoolean(true);
      HttpServer server = TestService.await(replicaHost.createHttpServer()
        .requestHandler(r -> r.response().setStatusCode(ready.get() ? 200 : 503).end()).listen(0, "127.0.0.1"));
      String address = "127.0.0.1:" + server.actualPort();
      // Two instances, each a context on its own loop, as the gateway's HTTP instances are.
      VertxInternal internal = (VertxInternal) gateway;
      List<Context> loops = List.of(internal.createEventLoopContext(), internal.createEventLoopContext());
      assertThat(((io.vertx.core.internal.ContextInternal) loops.get(0)).nettyEventLoop())
        .isNotSameAs(((io.vertx.core.internal.ContextInternal) loops.get(1)).nettyEventLoop());
      List<Replica> replicas = List.of(new Replica(address), new Replica(address));
      List<Runnable> unwatch = List.of(
        ReplicaProbes.watch(gateway, INTERVAL, Duration.ofSeconds(1), loops.get(0), List.of(replicas.get(0))),
        ReplicaProbes.watch(gateway, INTERVAL, Duration.ofSeconds(1), loops.get(1), List.of(replicas.get(1))));
      try {
        for (int blocked = 0; blocked < 2; blocked++) {
          int free = 1 - blocked;
          ready.set(true);
          assertThat(becomes(loops.get(free), replicas.get(free), true)).as("ready, heard on loop " + free).isTrue();
          CountDownLatch held = new CountDownLatch(1);
          CountDownLatch release = new CountDownLatch(1);
          loops.get(blocked).runOnContext(v -> {
            held.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
          held.await();
          try {
            ready.set(false);
            assertThat(becomes(loops.get(free), replicas.get(free), false))
              .as("loop %d blocked: the instance on loop %d hears the replica is not ready", blocked, free).isTrue();
          } finally {
            release.countDown();
          }
        }
      } finally {
        unwatch.forEach(Runnable::run);
      }
    } finally {
      TestService.await(gateway.close());
      TestService.await(replicaHost.close());
    }
  }

  /** Whether {@code replica}, read on its instance's loop, is (not) available within 20 intervals. */
  private static boolean becomes(Context loop, Replica replica, boolean available) throws InterruptedException {
    long deadline = System.nanoTime() + INTERVAL.toNanos() * 20;
    while (System.nanoTime() < deadline) {
      boolean now = TestService.await(Future.<Boolean>future(p -> loop.runOnContext(
        v -> p.complete(replica.available(System.nanoTime())))));
      if (now == available) {
        return true;
      }
      Thread.sleep(INTERVAL.toMillis() / 2);
    }
    return false;
  }
}
