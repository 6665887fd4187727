package dev.surge.gateway;

import dev.surge.testing.RawHttp;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Surge service serves WebSockets, and a request asking to upgrade to one is proxied as any other: its prefix
 * taken off, the client's forwarding headers replaced with the client the gateway resolved, its body sent whole.
 * vertx-http-proxy tunnels upgrades by default, past the gateway's own interceptor: the service saw the raw path and
 * the client's own X-Forwarded-For, and a request with a body held a pooled connection until the gateway's timeout
 * (140 of them made the service unreachable through the gateway, with no key).
 */
class AWebSocketUpgradeIsProxiedAsAnyRequestTest {

  private static final String UPGRADE = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Forwarded-For: 198.51.100.66\r\n";

  private static Replicas replicas;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    replicas = new Replicas();
    gateway = Gateways.inFrontOf(replicas.start("catalog"), Map.of("gateway.timeout", "3s"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    replicas.close();
  }

  @Test
  void anUpgradeReachesTheServiceOnTheRoutedPathFromTheResolvedClient() {
    RawHttp.Response response = RawHttp.send(gateway.port(), "GET /api/catalog/products?x=1 HTTP/1.1\r\nHost: 127.0.0.1:"
      + gateway.port() + "\r\n" + UPGRADE + "Connection: close\r\n\r\n");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.header("X-Seen-Path")).isEqualTo("/products?x=1");
    assertThat(response.header("X-Seen-Forwarded-For")).isEqualTo("127.0.0.1");
  }

  @Test
  void anUpgradeWithABodyIsAnsweredWithoutWaitingForTheTimeout() {
    RawHttp.Response response = RawHttp.send(gateway.port(), "GET /api/catalog/products HTTP/1.1\r\nHost: 127.0.0.1:"
      + gateway.port() + "\r\n" + UPGRADE + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
      + "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.header("X-Replica")).isEqualTo("catalog");
  }
}
