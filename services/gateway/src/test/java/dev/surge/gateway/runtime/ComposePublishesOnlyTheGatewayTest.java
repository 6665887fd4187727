package dev.surge.gateway.runtime;

import dev.surge.testing.ComposeFile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that reaches the host reaches the platform only through the gateway, its keys and its rate limits:
 * no other service of the compose file publishes a port on all interfaces (monitoring binds the host's loopback),
 * and none shares the host's network.
 */
class ComposePublishesOnlyTheGatewayTest {

  @Test
  @SuppressWarnings("unchecked")
  void noServiceButTheGatewayPublishesAPortOnAllInterfaces() throws Exception {
    List<String> open = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> service : ComposeFile.read().services().entrySet()) {
      String name = service.getKey();
      assertThat(service.getValue().get("network_mode")).as(name + " shares the host's network").isNull();
      Object ports = service.getValue().get("ports");
      if (ports == null || name.equals("gateway")) {
        continue;
      }
      for (Object port : (List<Object>) ports) {
        if (!onLoopback(port)) {
          open.add(name + " " + port);
        }
      }
    }
    assertThat(open).as("ports published on every interface of the host").isEmpty();
    assertThat(ComposeFile.read().services().get("gateway").get("ports").toString()).contains("8080:8080");
  }

  @Test
  void theCheckTellsLoopbackFromEveryInterface() {
    assertThat(onLoopback("127.0.0.1:9090:9090")).isTrue();
    assertThat(onLoopback("[::1]:9090:9090")).isTrue();
    assertThat(onLoopback(Map.of("target", 9090, "published", 9090, "host_ip", "127.0.0.1"))).isTrue();
    assertThat(onLoopback("9090:9090")).isFalse();
    assertThat(onLoopback("9090")).isFalse();
    assertThat(onLoopback(9090)).isFalse();
    assertThat(onLoopback("0.0.0.0:9090:9090")).isFalse();
    assertThat(onLoopback(Map.of("target", 9090, "published", 9090))).isFalse();
  }

  /** Compose's short syntax is {@code [HOST_IP:]HOST_PORT:CONTAINER_PORT} or a bare container port (all interfaces). */
  private static boolean onLoopback(Object port) {
    String hostIp;
    if (port instanceof Map<?, ?> longSyntax) {
      hostIp = String.valueOf(longSyntax.get("host_ip"));
    } else {
      String spec = String.valueOf(port);
      int last = spec.lastIndexOf(':');
      int hostPort = last < 0 ? -1 : spec.lastIndexOf(':', last - 1);
      hostIp = hostPort < 0 ? "" : spec.substring(0, hostPort);
    }
    return hostIp.equals("127.0.0.1") || hostIp.equals("[::1]") || hostIp.equals("::1");
  }
}
