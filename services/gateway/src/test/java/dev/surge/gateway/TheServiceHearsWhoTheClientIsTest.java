package dev.surge.gateway;

import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service behind the gateway gets the client the gateway resolved as its one X-Forwarded-For, never a chain
 * or a Forwarded header the client wrote, so it can count clients apart (the jobs service's event streams do).
 */
class TheServiceHearsWhoTheClientIsTest {

  @Test
  void behindATrustedProxyTheResolvedClientIsPassedOn() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("catalog"),
      Map.of("gateway.trustedProxies", "127.0.0.1/32"))) {
      var seen = gateway.get("/api/catalog/x", MultiMap.caseInsensitiveMultiMap()
        .add("X-Forwarded-For", "198.51.100.7, 203.0.113.9").add("Forwarded", "for=192.0.2.1"));
      assertThat(seen.getHeader("X-Seen-Forwarded-For")).isEqualTo("203.0.113.9");
      assertThat(seen.getHeader("X-Seen-Forwarded")).isEqualTo("null");
    }
  }

  @Test
  void fromAnUntrustedPeerTheSocketsAddressIsPassedOnNotTheClientsHeader() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("catalog"),
      Map.of())) {
      var seen = gateway.get("/api/catalog/x", MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "10.9.9.9"));
      assertThat(seen.getHeader("X-Seen-Forwarded-For")).isEqualTo("127.0.0.1");
    }
  }
}
