package dev.surge.gateway;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no API keys, writes are taken from this machine only: a loopback connection carrying X-Forwarded-For,
 * Forwarded or another header proxies add (Via, X-Real-IP) is a proxy in front, whose client may be anywhere,
 * unless the proxy is trusted and forwards a loopback address too.
 */
class NoKeysMeansWritesFromThisMachineOnlyTest {

  private static MultiMap header(String name, String value) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain");
    return name == null ? headers : headers.add(name, value);
  }

  private static int write(TestService gateway, String name, String value) {
    var response = gateway.send(HttpMethod.POST, "/api/catalog/products", header(name, value), "x");
    if (response.statusCode() != 200) {
      Problems.assertProblem(response, 401, "unauthorized");
    }
    return response.statusCode();
  }

  @Test
  void aLoopbackConnectionCarryingAForwardingHeaderIsNotALoopbackClient() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"), Map.of())) {
      assertThat(write(gateway, null, null)).as("no proxy in front").isEqualTo(200);
      assertThat(write(gateway, "X-Forwarded-For", "203.0.113.1")).isEqualTo(401);
      assertThat(write(gateway, "X-Forwarded-For", "127.0.0.1")).as("not a trusted proxy: forged or not").isEqualTo(401);
      assertThat(write(gateway, "Forwarded", "for=127.0.0.1")).isEqualTo(401);
      assertThat(write(gateway, "Via", "1.1 nginx")).as("a proxy that says so otherwise").isEqualTo(401);
      assertThat(write(gateway, "X-Real-IP", "203.0.113.1")).isEqualTo(401);
    }
  }

  @Test
  void behindATrustedProxyOnlyAForwardedLoopbackClientMayWrite() {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      Map.of("gateway.trustedProxies", "127.0.0.1/32"))) {
      assertThat(write(gateway, "X-Forwarded-For", "127.0.0.1")).isEqualTo(200);
      assertThat(write(gateway, "X-Forwarded-For", "203.0.113.1")).isEqualTo(401);
      assertThat(write(gateway, "X-Forwarded-For", "127.0.0.1, 203.0.113.1")).isEqualTo(401);
      assertThat(write(gateway, "Forwarded", "for=127.0.0.1")).as("not the header the proxies set").isEqualTo(401);
      assertThat(write(gateway, "X-Forwarded-For", "unknown")).as("a hidden client is not the proxy").isEqualTo(401);
    }
  }
}
