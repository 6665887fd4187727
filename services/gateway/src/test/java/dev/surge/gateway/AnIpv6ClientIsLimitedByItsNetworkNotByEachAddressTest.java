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
 * An IPv6 client picks any address of its /64 at will, so a limit counted per address would give it 2^64 buckets:
 * the gateway counts an IPv6 client by its /64, for its rate limit and its key guesses alike; another /64 is
 * another client, and IPv4 clients stay counted by their address. (The tests connect from 127.0.0.1, trusted as a
 * proxy, and name the client in X-Forwarded-For.)
 */
class AnIpv6ClientIsLimitedByItsNetworkNotByEachAddressTest {

  private static MultiMap from(String client) {
    return MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", client).add("Content-Type", "text/plain");
  }

  @Test
  void anotherAddressOfTheSameSlash64SharesTheRateLimitBucket() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("gateway.rateLimit", 1, "gateway.rateBurst", 1, "gateway.trustedProxies", "127.0.0.1/32")))) {
      assertThat(gateway.get("/api/catalog/who", from("2001:db8:1:2::1")).statusCode()).isEqualTo(200);
      Problems.assertProblem(gateway.get("/api/catalog/who", from("2001:db8:1:2:a:b:c:d")), 429, "rate-limited");
      Problems.assertProblem(gateway.get("/api/catalog/who", from("2001:db8:1:2:ffff::9")), 429, "rate-limited");
      assertThat(gateway.get("/api/catalog/who", from("2001:db8:1:3::1")).statusCode()).as("another /64")
        .isEqualTo(200);
      assertThat(gateway.get("/api/catalog/who", from("203.0.113.30")).statusCode()).isEqualTo(200);
      assertThat(gateway.get("/api/catalog/who", from("203.0.113.31")).statusCode()).as("another IPv4 address")
        .isEqualTo(200);
    }
  }

  @Test
  void keyGuessesFromAddressesOfOneSlash64CountTogether() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("gateway.apiKeys", Gateways.digest("the-right-key"), "gateway.keyFailures", 3,
        "gateway.keyFailureWindow", "1m", "gateway.trustedProxies", "127.0.0.1/32")))) {
      for (int i = 0; i < 3; i++) {
        Problems.assertProblem(gateway.send(HttpMethod.POST, "/api/catalog/p",
          from("2001:db8:7:8::" + (i + 1)).add("Authorization", "Bearer guess-" + i), "x"), 401, "unauthorized");
      }
      Problems.assertProblem(gateway.send(HttpMethod.POST, "/api/catalog/p",
        from("2001:db8:7:8::99").add("Authorization", "Bearer guess-3"), "x"), 429, "rate-limited");
      assertThat(gateway.send(HttpMethod.POST, "/api/catalog/p",
        from("2001:db8:7:9::1").add("Authorization", "Bearer the-right-key"), "x").statusCode()).as("another /64")
        .isEqualTo(200);
    }
  }
}
