package dev.surge.standalone.containers;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import dev.surge.testing.Dockerfile;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.surge.standalone.containers.ServiceModules.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's health check asks {@code SURGE_HTTP_PORT}, else the port the image knows for its {@code SERVICE}
 * (the Dockerfile's table, or an {@code HTTP_PORT} build argument): that must be the port the service listens on,
 * its default unless {@code SURGE_HTTP_PORT} sets one. Else the container never gets healthy and nothing that
 * waits for it starts. ops/compose-test.sh builds every image compose runs and reads each service's metrics on the
 * same port.
 */
class EveryComposeServiceListensWhereItsHealthCheckAsksTest {

  @Test
  void theImageKnowsEachServicesDefaultPort() throws Exception {
    Map<String, Integer> table = Dockerfile.read().httpPorts();
    for (String module : ServiceModules.all().keySet()) {
      assertThat(table.get(module)).as("the Dockerfile's port for " + module).isEqualTo(ServiceModules.defaultPort(module));
    }
  }

  @Test
  void theHealthCheckAsksThePortTheServiceListensOn() throws Exception {
    for (ComposeService service : ComposeFile.read().surgeServices()) {
      String name = service.buildArg("SERVICE");
      String configured = service.environment().get("SURGE_HTTP_PORT");
      int listens = configured != null ? Integer.parseInt(configured) : ServiceModules.defaultPort(name);
      assertThat(service.httpPort()).as(service.name() + ": the port its health check asks").isEqualTo(listens);
    }
  }

  @Test
  void theComposeTestBuildsEachImageAndReadsEachServiceOnItsPort() throws Exception {
    String script = ServiceModules.read(ROOT.resolve("ops/compose-test.sh"));
    List<String> built = List.of(ServiceModules.all(script, "\\nSERVICES=\\(([^)]*)\\)").getFirst().trim().split("\\s+"));
    Map<String, String> ports = new HashMap<>();
    String map = ServiceModules.all(script, "declare -A PORT=\\(([^)]*)\\)").getFirst();
    for (String entry : map.trim().split("\\s+")) {
      ports.put(entry.substring(1, entry.indexOf(']')), entry.substring(entry.indexOf('=') + 1));
    }
    for (ComposeService service : ComposeFile.read().surgeServices()) {
      assertThat(built).as("compose-test.sh builds the image of " + service.name()).contains(service.buildArg("SERVICE"));
      assertThat(ports.get(service.buildArg("SERVICE"))).as("compose-test.sh's port for " + service.name())
        .isEqualTo(String.valueOf(service.httpPort()));
    }
  }
}
