package dev.surge;

import dev.surge.config.SurgeConfig;
import dev.surge.testing.TestService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A component's blocking preparation (a schema's migrations) runs as the service starts, on a thread of the
 * runtime's own, never an event loop, in the order the definition names the components; the components start
 * after every preparation succeeded, and a failed one stops the start with its error before any component starts.
 */
class ComponentsPrepareOnAThreadOfTheirOwnBeforeTheyStartTest {

  /** A component whose preparation blocks a while and writes down where it ran. */
  private record Preparing(List<String> log, String name, boolean failsToPrepare) implements Component {

    @Override
    public Callable<?> preparation(String definedName, SurgeConfig config) {
      return () -> {
        Thread.sleep(200); // blocking, as a migration is
        log.add("prepare " + name + " for " + definedName + (Context.isOnEventLoopThread() ? " on an event loop" : "")
          + " on " + Thread.currentThread().getName());
        if (failsToPrepare) {
          throw new IllegalStateException(name + " cannot prepare");
        }
        return null;
      };
    }

    @Override
    public Future<Component.Running> start(ComponentContext context) {
      log.add("start " + name);
      return Future.succeededFuture(new Component.Running() { });
    }
  }

  private static ServiceDefinition service(List<String> log, boolean secondFails) {
    return ServiceDefinition.builder("preparing")
      .use(new Preparing(log, "first", false))
      .use(new Preparing(log, "second", secondFails))
      .onStart(ctx -> {
        log.add("onStart");
        return Future.succeededFuture();
      })
      .http(ctx -> router -> router.get("/").handler(rc -> rc.end("up")))
      .build();
  }

  @Test
  void theyPrepareInOrderOffTheEventLoopsAndStartOnlyOnceAllArePrepared() {
    List<String> log = new CopyOnWriteArrayList<>();
    ServiceDefinition definition = service(log, false);
    RunningService running = TestService.await(Surge.start(definition, ComponentsStartInOrderAndCloseInReverseTest.config(definition)));
    try {
      assertThat(log).containsExactly(
        "prepare first for preparing on surge-prepare-preparing",
        "prepare second for preparing on surge-prepare-preparing",
        "start first", "start second", "onStart");
    } finally {
      TestService.await(running.shutdown());
    }
  }

  @Test
  void aFailedPreparationStopsTheStartWithItsErrorBeforeAnyComponentStarts() {
    List<String> log = new CopyOnWriteArrayList<>();
    ServiceDefinition definition = service(log, true);
    assertThatThrownBy(() -> TestService.await(Surge.start(definition, ComponentsStartInOrderAndCloseInReverseTest.config(definition))))
      .hasMessageContaining("second cannot prepare");
    assertThat(log).containsExactly("prepare first for preparing on surge-prepare-preparing",
      "prepare second for preparing on surge-prepare-preparing");
  }
}
