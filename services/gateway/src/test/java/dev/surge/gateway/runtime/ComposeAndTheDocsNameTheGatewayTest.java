package dev.surge.gateway.runtime;

import dev.surge.gateway.GatewayMain;
import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's compose entry points at real services and ports; its page names every API it routes (its keys: docs/configuration.md). */
class ComposeAndTheDocsNameTheGatewayTest {

  @Test
  void composeSendsEachApiToEveryReplicaOfItsServiceAtItsHttpPort() throws Exception {
    ComposeFile compose = ComposeFile.read();
    for (String name : new String[] {"gateway", "gateway-2"}) {
      eachApiGoesToEveryReplica(compose, compose.service(name));
    }
  }

  private static void eachApiGoesToEveryReplica(ComposeFile compose, ComposeService gateway) {
    Map<String, String> environment = gateway.environment();
    assertThat(environment).doesNotContainKey("SURGE_PG_URL");

    for (String api : new String[] {"catalog", "orders", "jobs"}) {
      List<String> upstreams = List.of(environment.get("SURGE_GATEWAY_UPSTREAMS_" + api.toUpperCase()).split(","));
      List<String> replicas = compose.surgeServices().stream().filter(s -> api.equals(s.buildArg("SERVICE")))
        .map(s -> s.name() + ":" + s.httpPort()).toList();
      assertThat(upstreams).as("the %s API goes to every replica of the service, at its HTTP port", api)
        .containsExactlyInAnyOrderElementsOf(replicas);
      for (String replica : replicas) {
        assertThat(gateway.dependsOn()).containsEntry(replica.substring(0, replica.indexOf(':')), "service_healthy");
      }
    }
  }

  @Test
  void theGatewayPageNamesEveryApiItRoutes() throws Exception {
    String page = Files.readString(Path.of("..", "..", "docs", "gateway.md"));
    GatewayMain.UPSTREAMS.keySet().forEach(api -> assertThat(page).as(api).contains("/api/" + api));
  }
}
