package dev.surge.gateway;

import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key a client sends is the gateway's to check, and goes no further: the console sends its one key, an
 * operator's too, with every call, which would otherwise reach every replica of every service.
 */
class TheKeyTheGatewayCheckedStopsThereTest {

  @Test
  void noReplicaSeesTheClientsKey() throws Exception {
    String apiKey = Gateways.digest("api-key");
    String operatorKey = Gateways.digest("operator-key");
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("gateway.apiKeys", apiKey, "gateway.operatorKeys", operatorKey)))) {
      for (String key : new String[] {"api-key", "operator-key"}) {
        var read = gateway.get("/api/catalog/p", MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + key));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.getHeader("X-Seen-Authorization")).as(key).isEqualTo("null");
      }
      var write = gateway.send(HttpMethod.POST, "/api/catalog/p", MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer api-key").add("Content-Type", "text/plain"), "x");
      assertThat(write.statusCode()).isEqualTo(200);
      assertThat(write.getHeader("X-Seen-Authorization")).isEqualTo("null");
    }
  }
}
