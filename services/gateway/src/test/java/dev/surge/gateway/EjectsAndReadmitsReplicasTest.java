package dev.surge.gateway;

import dev.surge.net.FreePorts;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Replicas that fail requests are ejected; replicas whose readiness check fails get no requests until it passes. */
class EjectsAndReadmitsReplicasTest {

  @Test
  void aReplicaThatFailsIsEjectedAndTheOthersTakeItsTurns() {
    String closed = "127.0.0.1:" + FreePorts.pick();
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(closed + "," + replicas.start("up"),
      Map.of("gateway.ejectAfter", 1, "gateway.ejectFor", "1m", "gateway.healthInterval", "10m"))) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        statuses.add(gateway.send(HttpMethod.POST, "/api/catalog/orders", MultiMap.caseInsensitiveMultiMap()
          .add("Content-Type", "text/plain"), "x").statusCode());
      }
      assertThat(statuses).as("only the POST that found it first fails; round-robin alone would fail every other")
        .containsExactly(502, 200, 200, 200, 200, 200);
    }
  }

  @Test
  void aReplicaNotReadyGetsNoRequestsUntilItsCheckPassesAgain() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(
      replicas.start("a") + "," + replicas.start("b"), Map.of("gateway.healthInterval", "100ms"))) {
      replicas.ready("a", false);
      Thread.sleep(400);
      List<String> whileOut = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        whileOut.add(gateway.get("/api/catalog/who").getHeader("X-Replica"));
      }
      assertThat(whileOut).containsOnly("b");

      replicas.ready("a", true);
      Thread.sleep(400);
      List<String> back = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        back.add(gateway.get("/api/catalog/who").getHeader("X-Replica"));
      }
      assertThat(back).contains("a", "b");
    }
  }
}
