package dev.surge.standalone.containers;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import dev.surge.testing.Dockerfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that waits for another to be healthy waits for ever unless that one has a health check: its own in
 * compose, or the image's. The Surge services use the image's, which asks the port the service listens on; a
 * compose health check of their own would replace it.
 */
class EveryHealthyDependencyHasAHealthCheckTest {

  @Test
  void everyServiceWaitedForAsHealthyHasAHealthCheck() throws Exception {
    ComposeFile compose = ComposeFile.read();
    boolean imageChecks = Dockerfile.read().runtime().last("HEALTHCHECK") != null;
    List<String> surge = compose.surgeServices().stream().map(ComposeService::name).toList();
    List<String> wrong = new ArrayList<>();
    for (String name : compose.services().keySet()) {
      compose.service(name).dependsOn().forEach((dependency, condition) -> {
        assertThat(compose.services()).as(name + " depends on " + dependency).containsKey(dependency);
        if (condition.equals("service_healthy")) {
          boolean checked = surge.contains(dependency) ? imageChecks
            : compose.service(dependency).get("healthcheck") instanceof Map<?, ?> check && check.get("test") != null
              && !Boolean.TRUE.equals(check.get("disable"));
          if (!checked) {
            wrong.add(name + " waits for " + dependency + " to be healthy, which has no health check");
          }
        }
      });
    }
    for (String name : surge) {
      if (compose.service(name).get("healthcheck") != null) {
        wrong.add(name + " replaces the image's health check");
      }
    }
    assertThat(wrong).isEmpty();
  }
}
