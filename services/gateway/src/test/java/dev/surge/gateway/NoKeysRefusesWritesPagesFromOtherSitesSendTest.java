package dev.surge.gateway;

import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no API keys, writes are taken from this machine only, and this machine's browser is made to send requests by
 * every web page it shows: a write another site's page sends (its Origin, or Sec-Fetch-Site: cross-site: a form, a
 * no-cors fetch) is refused 403, and one to a name other than loopback's (a page's own name rebound to 127.0.0.1)
 * 401. The console's own writes (its Origin is the gateway's) and the tools' (no Origin) go through.
 */
class NoKeysRefusesWritesPagesFromOtherSitesSendTest {

  @Test
  void aWriteFromAnotherSitesPageOrToAReboundNameIsRefused() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"), Map.of())) {
      String own = "http://127.0.0.1:" + gateway.port();
      assertThat(write(gateway, Map.of())).as("curl: no Origin").isEqualTo(200);
      assertThat(write(gateway, Map.of("Origin", own, "Sec-Fetch-Site", "same-origin"))).as("the console")
        .isEqualTo(200);
      assertThat(write(gateway, Map.of("Origin", "https://evil.example"))).isEqualTo(403);
      assertThat(write(gateway, Map.of("Origin", "http://localhost:3000"))).as("another page on this machine")
        .isEqualTo(403);
      assertThat(write(gateway, Map.of("Sec-Fetch-Site", "cross-site"))).as("a form from another site")
        .isEqualTo(403);
      assertThat(write(gateway, Map.of("Host", "evil.example:" + gateway.port(), "Origin",
        "http://evil.example:" + gateway.port()))).as("DNS rebinding: the page's own name, now 127.0.0.1")
        .isEqualTo(401);
      assertThat(gateway.send(HttpMethod.GET, "/api/catalog/who", MultiMap.caseInsensitiveMultiMap()
        .add("Origin", "https://evil.example"), null).statusCode()).as("a read is no change").isEqualTo(200);
    }
  }

  private static int write(TestService gateway, Map<String, String> headers) {
    MultiMap sent = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain").addAll(headers);
    return gateway.send(HttpMethod.POST, "/api/catalog/products", sent, "x").statusCode();
  }
}
