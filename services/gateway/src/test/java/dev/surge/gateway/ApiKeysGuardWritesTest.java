package dev.surge.gateway;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Writes need a configured API key (kept as its SHA-256); reads stay open; no keys means loopback writes only. */
class ApiKeysGuardWritesTest {

  private static MultiMap withKey(String key) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain");
    return key == null ? headers : headers.add("Authorization", "Bearer " + key);
  }

  @Test
  void aWriteNeedsAKnownKeyAndAReadDoesNot() throws Exception {
    String digest = Gateways.digest("s3cret-key");
    try (Replicas replicas = new Replicas();
         TestService gateway = Gateways.inFrontOf(replicas.start("r"), Map.of("gateway.apiKeys", digest.toUpperCase()))) {
      assertThat(gateway.get("/api/catalog/products").statusCode()).isEqualTo(200);

      var missing = gateway.send(HttpMethod.POST, "/api/catalog/products", withKey(null), "x");
      Problems.assertProblem(missing, 401, "unauthorized");
      assertThat(missing.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
      Problems.assertProblem(gateway.send(HttpMethod.DELETE, "/api/catalog/products/1", withKey("guess"), null),
        401, "unauthorized");
      Problems.assertProblem(gateway.send(HttpMethod.POST, "/api/catalog/products", withKey(digest), "x"),
        401, "unauthorized");

      var allowed = gateway.send(HttpMethod.POST, "/api/catalog/products", withKey("s3cret-key"), "x");
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.getHeader("X-Replica")).isEqualTo("r");
    }
  }

  @Test
  void readsNeedAKeyTooWhenConfiguredSo() throws Exception {
    String digest = Gateways.digest("reader");
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      Map.of("gateway.apiKeys", digest, "gateway.readsNeedKey", true))) {
      Problems.assertProblem(gateway.get("/api/catalog/products"), 401, "unauthorized");
      assertThat(gateway.get("/api/catalog/products", withKey("reader")).statusCode()).isEqualTo(200);
      assertThat(gateway.get("/health/ready").statusCode()).as("probes stay open").isEqualTo(200);
      for (String path : new String[] {"/console/api/overview", "/openapi.json"}) { // what the APIs' readers see
        Problems.assertProblem(gateway.get(path), 401, "unauthorized");
        assertThat(gateway.get(path, withKey("reader")).statusCode()).as(path).isEqualTo(200);
      }
    }
  }

  @Test
  void withNoKeyConfiguredWritesAreTakenFromThisMachineOnly() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"), Map.of())) {
      assertThat(gateway.send(HttpMethod.POST, "/api/catalog/products", withKey(null), "x").statusCode())
        .as("from loopback").isEqualTo(200);

      String lan = NetworkInterface.networkInterfaces().filter(i -> !isLoopback(i))
        .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address)
        .map(a -> a.getHostAddress()).findFirst().orElse(null);
      Assumptions.assumeTrue(lan != null, "this machine has no non-loopback IPv4 address to write from");
      Vertx vertx = Vertx.vertx();
      try {
        WebClient fromLan = WebClient.create(vertx, new WebClientOptions().setDefaultHost(lan)
          .setDefaultPort(gateway.port()));
        var write = await(fromLan.post("/api/catalog/products").putHeader("Content-Type", "text/plain")
          .sendBuffer(io.vertx.core.buffer.Buffer.buffer("x")));
        assertThat(write.statusCode()).as("a write from " + lan).isEqualTo(401);
        var read = await(fromLan.get("/api/catalog/products").send());
        assertThat(read.statusCode()).as("a read from " + lan).isEqualTo(200);
      } finally {
        await(vertx.close());
      }
    }
  }

  private static boolean isLoopback(NetworkInterface networkInterface) {
    try {
      return networkInterface.isLoopback() || !networkInterface.isUp();
    } catch (java.net.SocketException e) {
      return true;
    }
  }
}
