package dev.surge.gateway;

import dev.surge.net.FreePorts;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With gateway.readsNeedKey and no operator keys, the console's instances view is held to what the APIs are: a
 * read without a key is refused, where it used to list every replica's verticles to anyone on the network (and ask
 * each replica's admin API for them).
 */
class OperatorReadsNeedAKeyWhereApiReadsDoTest {

  @Test
  void theInstancesViewNeedsAnApiKeyWhenReadsDo() throws Exception {
    String apiKey = Gateways.digest("api-key");
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("gateway.apiKeys", apiKey, "gateway.readsNeedKey", true,
        "gateway.adminPort", FreePorts.pick())))) {
      Problems.assertProblem(gateway.get("/console/api/instances", MultiMap.caseInsensitiveMultiMap()), 401,
        "unauthorized");
      Problems.assertProblem(gateway.get("/api/catalog/p", MultiMap.caseInsensitiveMultiMap()), 401, "unauthorized");
      assertThat(gateway.get("/console/api/instances", MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer api-key")).statusCode()).isEqualTo(200);
    }
  }
}
