package dev.surge.gateway;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client a request counts against (here: its rate-limit bucket, one request each) is the socket's peer, or,
 * when that peer is in gateway.trustedProxies, the right-most forwarded address that is not a trusted proxy. The
 * tests connect from 127.0.0.1, so trusting 127.0.0.1/32 makes the test client a proxy.
 */
class ClientAddressComesFromTrustedProxiesOnlyTest {

  private static MultiMap header(String name, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(name, value);
  }

  private static TestService gateway(Replicas replicas, Map<String, Object> access) {
    Map<String, Object> config = new java.util.HashMap<>(Map.of("gateway.rateLimit", 1, "gateway.rateBurst", 1));
    config.putAll(access);
    return Gateways.inFrontOf(replicas.start("r"), config);
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasABucketOfItsOwn() {
    try (Replicas replicas = new Replicas();
         TestService gateway = gateway(replicas, Map.of("gateway.trustedProxies", "127.0.0.1/32"))) {
      assertThat(gateway.get("/api/catalog/who", header("X-Forwarded-For", "203.0.113.1")).statusCode()).isEqualTo(200);
      Problems.assertProblem(gateway.get("/api/catalog/who", header("X-Forwarded-For", "203.0.113.1")), 429,
        "rate-limited");
      assertThat(gateway.get("/api/catalog/who", header("X-Forwarded-For", "203.0.113.2")).statusCode())
        .as("another client behind the same proxy").isEqualTo(200);
    }
  }

  @Test
  void theClientIsTheRightMostAddressThatIsNotATrustedProxy() {
    try (Replicas replicas = new Replicas();
         TestService gateway = gateway(replicas, Map.of("gateway.trustedProxies", "127.0.0.1/32,10.0.0.0/8"))) {
      assertThat(gateway.get("/api/catalog/who", header("X-Forwarded-For", "198.51.100.9, 203.0.113.5, 10.1.2.3"))
        .statusCode()).isEqualTo(200);
      Problems.assertProblem(gateway.get("/api/catalog/who", header("X-Forwarded-For", "192.0.2.77, 203.0.113.5")),
        429, "rate-limited"); // what the client wrote itself, on the left, changes nothing
      assertThat(gateway.get("/api/catalog/who", header("X-Forwarded-For", "203.0.113.5, 10.9.9.9, 203.0.113.6"))
        .statusCode()).as("203.0.113.6, the nearest untrusted hop").isEqualTo(200);
    }
  }

  @Test
  void rfc7239ForwardedIsReadWhenConfiguredAndThenXForwardedForIsNot() {
    try (Replicas replicas = new Replicas(); TestService gateway = gateway(replicas,
      Map.of("gateway.trustedProxies", "127.0.0.1/32", "gateway.forwardedHeader", "forwarded"))) {
      assertThat(gateway.get("/api/catalog/who", header("Forwarded",
        "for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\"")).statusCode()).isEqualTo(200);
      Problems.assertProblem(gateway.get("/api/catalog/who", header("Forwarded", "for=\"[2001:db8:cafe::17]\"")),
        429, "rate-limited");
      assertThat(gateway.get("/api/catalog/who", header("Forwarded", "for=192.0.2.60")
        .add("X-Forwarded-For", "2001:db8:cafe::17")).statusCode()).as("192.0.2.60's own bucket").isEqualTo(200);
    }
  }

  @Test
  void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
    try (Replicas replicas = new Replicas();
         TestService gateway = gateway(replicas, Map.of("gateway.trustedProxies", "10.0.0.0/8"))) {
      assertThat(gateway.get("/api/catalog/who", header("X-Forwarded-For", "203.0.113.1")).statusCode()).isEqualTo(200);
      Problems.assertProblem(gateway.get("/api/catalog/who", header("X-Forwarded-For", "203.0.113.2")), 429,
        "rate-limited");
      Problems.assertProblem(gateway.get("/api/catalog/who", header("Forwarded", "for=203.0.113.3")), 429,
        "rate-limited");
    }
  }
}
