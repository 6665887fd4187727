package dev.surge.gateway;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * After gateway.keyFailures unknown API keys a client gets 429 with Retry-After for any key, the right one too; a
 * failure is counted before the client learns of it, so guesses sent at once buy no more than guesses in turn.
 */
class KeyGuessingIsLimitedPerClientTest {

  private static MultiMap as(String client, String key) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain")
      .add("X-Forwarded-For", client);
    return key == null ? headers : headers.add("Authorization", "Bearer " + key);
  }

  private static TestService gateway(Replicas replicas) throws Exception {
    String digest = Gateways.digest("the-right-key");
    return Gateways.inFrontOf(replicas.start("r"), new HashMap<>(Map.of("gateway.apiKeys", digest,
      "gateway.keyFailures", 3, "gateway.keyFailureWindow", "1m", "gateway.trustedProxies", "127.0.0.1/32")));
  }

  @Test
  void afterTooManyUnknownKeysAClientGets429EvenForTheRightKey() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = gateway(replicas)) {
      for (int i = 0; i < 5; i++) {
        Problems.assertProblem(gateway.send(HttpMethod.POST, "/api/catalog/p", as("203.0.113.10", null), "x"), 401,
          "unauthorized"); // no key sent: no guess
      }
      for (int i = 0; i < 3; i++) {
        Problems.assertProblem(gateway.send(HttpMethod.POST, "/api/catalog/p", as("203.0.113.10", "guess-" + i), "x"),
          401, "unauthorized");
      }
      var limited = gateway.send(HttpMethod.POST, "/api/catalog/p", as("203.0.113.10", "guess-3"), "x");
      Problems.assertProblem(limited, 429, "rate-limited");
      assertThat(Long.parseLong(limited.getHeader("Retry-After"))).isBetween(1L, 60L);
      Problems.assertProblem(gateway.send(HttpMethod.POST, "/api/catalog/p", as("203.0.113.10", "the-right-key"), "x"),
        429, "rate-limited"); // nothing told about a key once blocked
      Problems.assertProblem(gateway.get("/api/catalog/p", as("203.0.113.10", "the-right-key")), 429, "rate-limited");

      assertThat(gateway.send(HttpMethod.POST, "/api/catalog/p", as("203.0.113.11", "the-right-key"), "x")
        .statusCode()).as("another client").isEqualTo(200);
      Problems.assertProblem(gateway.get("/api/catalog/p", as("203.0.113.11", "guess")), 401, "unauthorized");
    }
  }

  @Test
  void guessesSentAtOnceCountAsManyAsGuessesSentInTurn() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = gateway(replicas)) {
      List<Future<HttpResponse<Buffer>>> guesses = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        guesses.add(gateway.request(HttpMethod.POST, "/api/catalog/p").putHeaders(as("203.0.113.20", "guess-" + i))
          .sendBuffer(Buffer.buffer("x")));
      }
      await(Future.join(guesses));
      assertThat(guesses.stream().map(g -> g.result().statusCode()).toList())
        .as("three told the key was wrong, the rest refused untried").containsOnly(401, 429)
        .filteredOn(status -> status == 401).hasSize(3);
    }
  }
}
