package dev.surge;

import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service's components start in the order its definition names them, before its {@code onStart}; they run after
 * it, drain as the service drains, and close in reverse order. One that cannot start stops the service's start,
 * and the ones started before it close.
 */
class ComponentsStartInOrderAndCloseInReverseTest {

  /** A component that writes down what is done to it. */
  private record Recorded(List<String> log, String name, boolean failsToStart) implements Component {

    @Override
    public Future<Component.Running> start(ComponentContext context) {
      log.add("start " + name);
      if (failsToStart) {
        return Future.failedFuture(new IllegalStateException(name + " cannot start"));
      }
      return Future.succeededFuture(new Component.Running() {
        @Override
        public Future<Void> run() {
          log.add("run " + name);
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> drain(Duration grace) {
          log.add("drain " + name);
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> close() {
          log.add("close " + name);
          return Future.succeededFuture();
        }
      });
    }
  }

  private static ServiceDefinition service(List<String> log, boolean secondFails) {
    return ServiceDefinition.builder("components")
      .use(new Recorded(log, "first", false))
      .use(new Recorded(log, "second", secondFails))
      .onStart(ctx -> {
        log.add("onStart");
        return Future.succeededFuture();
      })
      .http(ctx -> router -> router.get("/").handler(rc -> rc.end("up")))
      .build();
  }

  /** One HTTP instance on a free port, a one-second grace: what a test of the start and stop needs. */
  static SurgeConfig config(ServiceDefinition definition) {
    return SurgeConfig.of(definition.configKeys(), Map.of(ChassisKeys.HTTP_PORT.name(), 0,
      ChassisKeys.HTTP_INSTANCES.name(), 1, ChassisKeys.SHUTDOWN_GRACE.name(), "1s"));
  }

  @Test
  void theyStartInOrderBeforeOnStartRunAfterItAndCloseInReverse() {
    List<String> log = new CopyOnWriteArrayList<>();
    ServiceDefinition definition = service(log, false);
    RunningService running = TestService.await(Surge.start(definition, config(definition)));
    assertThat(log).containsExactly("start first", "start second", "onStart", "run first", "run second");
    log.clear();
    TestService.await(running.shutdown());
    assertThat(log).containsExactly("drain first", "drain second", "close second", "close first");
  }

  @Test
  void oneThatCannotStartStopsTheStartAndTheOnesBeforeItClose() {
    List<String> log = new CopyOnWriteArrayList<>();
    ServiceDefinition definition = service(log, true);
    assertThatThrownBy(() -> TestService.await(Surge.start(definition, config(definition))))
      .hasMessageContaining("second cannot start");
    assertThat(log).containsExactly("start first", "start second", "close first");
  }
}
