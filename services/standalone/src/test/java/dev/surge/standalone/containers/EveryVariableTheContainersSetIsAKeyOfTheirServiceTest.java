package dev.surge.standalone.containers;

import dev.surge.config.ConfigKey;
import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import dev.surge.testing.Dockerfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.surge.standalone.containers.ServiceModules.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code SURGE_*} variable compose gives a service is a configuration key of that service, with a value the
 * key accepts; every one the Dockerfile sets, or its health check reads, is a key of every service the image can
 * run. A mistyped name would be ignored and the service would run on its default.
 */
class EveryVariableTheContainersSetIsAKeyOfTheirServiceTest {

  @Test
  void composeSetsOnlyKeysOfTheServiceWithValuesTheyAccept() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (ComposeService service : ComposeFile.read().surgeServices()) {
      String name = service.buildArg("SERVICE");
      service.environment().forEach((variable, value) -> {
        if (variable.startsWith("SURGE_")) {
          check(name, service.name(), variable, value, wrong);
        }
      });
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theImageSetsAndItsHealthCheckReadsOnlyKeysOfEveryService() throws Exception {
    Set<String> services = new TreeSet<>(ServiceModules.all().keySet());
    Map<String, String> env = Dockerfile.read().runtime().env();
    String healthCheck = ServiceModules.read(ROOT.resolve("ops/docker/healthcheck.sh"));
    List<String> wrong = new ArrayList<>();
    for (String service : services) {
      env.forEach((variable, value) -> {
        if (variable.startsWith("SURGE_")) {
          check(service, "the Dockerfile", variable, value, wrong);
        }
      });
      for (String variable : ServiceModules.all(healthCheck, "\\b(SURGE_\\w+)")) {
        if (ServiceModules.keyOf(service, variable) == null) {
          wrong.add("the health check reads " + variable + ", no key of " + service);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static void check(String service, String where, String variable, String value, List<String> wrong) {
    ConfigKey<?> key = ServiceModules.keyOf(service, variable);
    if (key == null) {
      wrong.add(where + ": " + variable + " is no key of " + service);
      return;
    }
    try {
      key.parse(value);
    } catch (RuntimeException e) {
      wrong.add(where + ": " + variable + "=" + value + ": " + e.getMessage());
    }
  }
}
