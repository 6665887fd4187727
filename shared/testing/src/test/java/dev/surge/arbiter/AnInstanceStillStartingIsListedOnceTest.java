package dev.surge.arbiter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance the arbiter is still starting is listed once, as starting: also once Vert.x holds its deployment and
 * the arbiter has not yet been told its id (the arbiter's event loop busy). It was listed a second time then, as a
 * verticle the arbiter does not supervise, with no counts, which broke the console's contract while a replica
 * restarted ({@code TheConsoleScalesAReplicasInstancesWithAnOperatorKeyTest} on a loaded machine).
 */
class AnInstanceStillStartingIsListedOnceTest {

  @Test
  void asStartingAndNothingElse() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)); // the arbiter's loop is every context's
    try {
      Arbiter arbiter = new Arbiter(vertx, new SimpleMeterRegistry(), Duration.ofSeconds(5));
      CompletableFuture<Promise<Void>> starting = new CompletableFuture<>();
      Future<Void> supervised = arbiter.supervise("probe", "slow", new SupervisionOptions().setInstances(1)
        .setThreadingModel(ThreadingModel.WORKER), // starts off the event loop, which the test holds below
        hooks -> new SupervisedVerticleBase() {
          @Override
          public Future<?> start() {
            Promise<Void> started = Promise.promise();
            starting.complete(started);
            return started.future().onSuccess(v -> serving(Thread.currentThread().getName()));
          }

          @Override
          protected Future<Void> leave(Duration grace) {
            return Future.succeededFuture();
          }
        }, new SimpleMeterRegistry());
      Promise<Void> started = starting.get(10, TimeUnit.SECONDS);

      List<InstanceView> whileStarting = arbiter.instances();
      assertThat(whileStarting).as("listed while it starts").singleElement()
        .satisfies(i -> {
          assertThat(i.verticle()).isEqualTo("probe.slow");
          assertThat(i.state()).isEqualTo("starting");
        });

      // The event loop held: Vert.x records the deployment as the instance's start completes (on a worker), and the
      // arbiter learns its id only once the loop comes back.
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      vertx.getOrCreateContext().runOnContext(v -> {
        held.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      held.await();
      started.complete();
      Thread.sleep(300);
      List<InstanceView> deployedNotYetTold = arbiter.instances();
      release.countDown();
      assertThat(deployedNotYetTold).as("listed as Vert.x holds its deployment").singleElement()
        .satisfies(i -> assertThat(i.verticle()).isEqualTo("probe.slow"));

      supervised.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(arbiter.instances()).as("listed once it serves").singleElement()
        .satisfies(i -> assertThat(i.state()).isEqualTo("serving"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
