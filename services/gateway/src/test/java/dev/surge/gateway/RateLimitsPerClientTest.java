package dev.surge.gateway;

import dev.surge.net.FreePorts;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A token bucket per client in Redis: 429 with Retry-After once it is empty, a bucket per key, open when Redis is down. */
class RateLimitsPerClientTest {

  @Test
  void aClientOverItsBurstGets429UntilTheBucketRefills() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      Map.of("gateway.rateLimit", 2, "gateway.rateBurst", 3))) {
      for (int i = 0; i < 3; i++) {
        var ok = gateway.get("/api/catalog/who");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.getHeader("RateLimit")).isEqualTo("limit=3, remaining=" + (2 - i) + ", reset=0");
        assertThat(ok.getHeader("RateLimit-Policy")).isEqualTo("3;w=2");
      }
      var limited = gateway.get("/api/catalog/who");
      Problems.assertProblem(limited, 429, "rate-limited");
      assertThat(limited.getHeader("Retry-After")).isEqualTo("1");
      assertThat(limited.getHeader("RateLimit")).startsWith("limit=3, remaining=0");

      Thread.sleep(600); // 2 a second: a token back every 500 ms
      assertThat(gateway.get("/api/catalog/who").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void eachApiKeyHasABucketOfItsOwn() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      Map.of("gateway.rateLimit", 1, "gateway.rateBurst", 1, "gateway.apiKeys",
        Gateways.digest("k-one") + "," + Gateways.digest("k-two")))) {
      MultiMap one = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer k-one");
      MultiMap two = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer k-two");
      assertThat(gateway.get("/api/catalog/who", one).statusCode()).isEqualTo(200);
      Problems.assertProblem(gateway.get("/api/catalog/who", one), 429, "rate-limited");
      assertThat(gateway.get("/api/catalog/who", two).statusCode()).as("another key, another bucket").isEqualTo(200);
    }
  }

  @Test
  void withRedisDownRequestsGoThroughAndTheMetricSaysSo() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      Map.of("gateway.rateLimit", 1, "gateway.rateBurst", 1, "redis.url", "redis://127.0.0.1:" + FreePorts.pick()))) {
      for (int i = 0; i < 3; i++) {
        assertThat(gateway.get("/api/catalog/who").statusCode()).isEqualTo(200);
      }
      assertThat(gateway.get("/metrics").bodyAsString()).containsPattern("surge_gateway_ratelimit_failopen_total\\{[^}]*\\} [3-9]");
      assertThat(gateway.get("/health/ready").bodyAsString()).contains("redis");
    }
  }
}
