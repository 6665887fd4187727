package dev.surge.gateway;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator key sent to an API, or an API key to the operators' routes, is the gateway's own key, not a guess:
 * the console sends its one key with every call, and an operator who typed only an operator key was locked out of
 * everything after gateway.keyFailures of its polls. It reads what needs no key, is refused with 403 where a key of
 * the other kind is needed, and never counts against the client.
 */
class AKeyOfTheOtherKindIsNoGuessTest {

  private static MultiMap as(String key) {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain").add("X-Forwarded-For", "203.0.113.30")
      .add("Authorization", "Bearer " + key);
  }

  @Test
  void anOperatorKeyReadsTheApisAndIsNeverCountedAsAGuess() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("gateway.apiKeys", Gateways.digest("api-key"),
        "gateway.operatorKeys", Gateways.digest("operator-key"),
        "gateway.keyFailures", 3, "gateway.keyFailureWindow", "1m", "gateway.trustedProxies", "127.0.0.1/32")))) {
      for (int i = 0; i < 5; i++) {
        assertThat(gateway.get("/api/catalog/p", as("operator-key")).statusCode()).as("a read needing no key")
          .isEqualTo(200);
        var write = gateway.send(HttpMethod.POST, "/api/catalog/p", as("operator-key"), "x");
        assertThat(Problems.assertProblem(write, 403, "forbidden").getString("detail"))
          .isEqualTo("The key is the gateway's, but not an API key (gateway.apiKeys)");
        var operators = gateway.get("/console/api/instances", as("api-key"));
        assertThat(Problems.assertProblem(operators, 403, "forbidden").getString("detail"))
          .isEqualTo("The key is the gateway's, but not an operator key (gateway.operatorKeys)");
      }
      assertThat(gateway.send(HttpMethod.POST, "/api/catalog/p", as("api-key"), "x").statusCode())
        .as("fifteen keys of the other kind later, the client is not locked out").isEqualTo(200);
      Problems.assertProblem(gateway.get("/api/catalog/p", as("a-guess")), 401, "unauthorized");
    }
  }

  @Test
  void whereReadsNeedAnApiKeyAnOperatorKeyIsRefusedButForTheConsolesOwnReads() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("gateway.apiKeys", Gateways.digest("api-key"),
        "gateway.operatorKeys", Gateways.digest("operator-key"),
        "gateway.readsNeedKey", true)))) {
      Problems.assertProblem(gateway.get("/api/catalog/p", as("operator-key")), 403, "forbidden");
      assertThat(gateway.get("/api/catalog/p", as("api-key")).statusCode()).isEqualTo(200);
      // What the console reads for itself takes the one key an operator gave it.
      assertThat(gateway.get("/console/api/overview", as("operator-key")).statusCode()).isEqualTo(200);
      Problems.assertProblem(gateway.get("/console/api/overview", MultiMap.caseInsensitiveMultiMap()), 401,
        "unauthorized");
    }
  }
}
