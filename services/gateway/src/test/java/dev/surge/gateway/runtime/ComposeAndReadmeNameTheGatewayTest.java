package dev.surge.gateway.runtime;

import dev.surge.gateway.GatewayMain;

import dev.surge.config.ConfigKey;
import dev.surge.testing.ComposeFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's compose entry points at real services and ports; the README names every gateway key. */
class ComposeAndReadmeNameTheGatewayTest {

  @Test
  @SuppressWarnings("unchecked")
  void composeSendsEachApiToTheReplicasOfAServiceItRuns() throws Exception {
    Map<String, Map<String, Object>> services = ComposeFile.read().services();
    Map<String, Object> gateway = services.get("gateway");
    assertThat(((Map<String, Object>) gateway.get("build")).get("dockerfile")).isEqualTo("services/gateway/Dockerfile");
    assertThat(gateway.get("ports").toString()).contains("8080:8080");
    assertThat(gateway.get("healthcheck").toString()).contains(":8080/health/ready");
    Map<String, Object> environment = (Map<String, Object>) gateway.get("environment");
    Set<String> known = GatewayMain.definition().configKeys().stream().map(ConfigKey::envName)
      .collect(Collectors.toSet());
    assertThat(known).as("every SURGE_ variable is a configuration key").containsAll(environment.keySet());
    assertThat(environment).doesNotContainKey("SURGE_PG_URL");

    for (String api : new String[] {"catalog", "orders", "jobs"}) {
      String upstreams = environment.get("SURGE_GATEWAY_UPSTREAMS_" + api.toUpperCase()).toString();
      for (String replica : upstreams.split(",")) {
        String name = replica.substring(0, replica.indexOf(':'));
        Map<String, Object> service = services.get(name);
        assertThat(service).as(replica + " is a service of the compose file").isNotNull();
        Map<String, Object> env = (Map<String, Object>) service.get("environment");
        assertThat(replica).as("at its HTTP port").endsWith(":" + env.get("SURGE_HTTP_PORT"));
        assertThat(((Map<String, Object>) gateway.get("depends_on")).get(name).toString()).contains("service_healthy");
      }
    }
  }

  @Test
  void theReadmeNamesEveryGatewayKey() throws Exception {
    String readme = Files.readString(Path.of("..", "..", "README.md"));
    GatewayMain.definition().configKeys().stream().filter(k -> k.name().startsWith("gateway."))
      .forEach(k -> assertThat(readme).as(k.name()).contains("| `" + k.name() + "` | `" + k.envName() + "` |"));
    assertThat(Arrays.stream(new String[] {"/api/catalog", "/api/orders", "/api/jobs"})).allMatch(readme::contains);
  }
}
