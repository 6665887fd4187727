package dev.surge.gateway.runtime;

import dev.surge.http.ClientAddresses;
import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that reaches the host reaches the platform only through the gateways, their keys and their rate limits:
 * the edge (HAProxy, ops/edge/haproxy.cfg) is the only service of the compose file that publishes a port on all
 * interfaces (monitoring binds the host's loopback), none shares the host's network, and the edge sends to every
 * gateway replica and nothing else, taking each out of turn by its readiness; the gateways believe the client's
 * address from the edge's fixed address alone.
 */
class ComposePublishesOnlyTheEdgeInFrontOfTheGatewaysTest {

  private static final Path EDGE_CONFIG = Path.of("..", "..", "ops", "edge", "haproxy.cfg");
  private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server\\s+(\\S+)\\s+(\\S+)(.*)$");

  @Test
  @SuppressWarnings("unchecked")
  void noServiceButTheEdgePublishesAPortOnAllInterfaces() throws Exception {
    List<String> open = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> service : ComposeFile.read().services().entrySet()) {
      String name = service.getKey();
      assertThat(service.getValue().get("network_mode")).as(name + " shares the host's network").isNull();
      Object ports = service.getValue().get("ports");
      if (ports == null || name.equals("edge")) {
        continue;
      }
      for (Object port : (List<Object>) ports) {
        if (!onLoopback(port)) {
          open.add(name + " " + port);
        }
      }
    }
    assertThat(open).as("ports published on every interface of the host").isEmpty();
    assertThat(ComposeFile.read().services().get("edge").get("ports").toString()).contains("8080:8080");
  }

  @Test
  void theEdgeSendsToEveryGatewayReplicaAtItsPortAndNowhereElse() throws Exception {
    ComposeFile compose = ComposeFile.read();
    List<String> gateways = gateways(compose).stream().map(g -> g.name() + ":" + g.httpPort()).toList();
    assertThat(gateways).as("gateway replicas").hasSizeGreaterThanOrEqualTo(2);
    String config = Files.readString(EDGE_CONFIG);
    List<String> checked = new ArrayList<>();
    List<String> unchecked = new ArrayList<>();
    for (Matcher m = SERVER.matcher(config); m.find(); ) {
      (m.group(3).contains("backup") ? unchecked : checked).add(m.group(2));
    }
    assertThat(checked).as("the edge's servers, each in turn while ready").containsExactlyInAnyOrderElementsOf(gateways);
    assertThat(unchecked).as("its servers when every check fails (fail open)").containsExactlyInAnyOrderElementsOf(gateways);
    assertThat(config).as("a gateway is out of turn while it is not ready (draining)")
      .containsPattern("http-check send meth GET uri /health/ready\\b").contains("http-check expect status 200")
      .containsPattern("default-server check ");
    assertThat(config).as("the client's address is the only one the gateways are given")
      .contains("http-request set-header X-Forwarded-For %[src]");
    ComposeService edge = compose.service("edge");
    assertThat(edge.get("volumes").toString()).contains("./ops/edge/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg");
    gateways(compose).forEach(g -> assertThat(edge.dependsOn()).containsEntry(g.name(), "service_healthy"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theGatewaysBelieveAForwardedAddressFromTheEdgeAlone() throws Exception {
    ComposeFile compose = ComposeFile.read();
    Map<String, Object> networks = (Map<String, Object>) compose.service("edge").get("networks");
    String edgeAddress = (String) ((Map<String, Object>) networks.get("default")).get("ipv4_address");
    String subnet = compose.subnet("default");
    assertThat(edgeAddress).as("the edge's fixed address").isNotNull();
    InetSocketAddress edgeSocket = new InetSocketAddress(InetAddress.getByName(edgeAddress), 0);
    assertThat(ClientAddresses.subnet(subnet).matches(edgeSocket)).as("in the network's subnet " + subnet).isTrue();
    String range = compose.ipRange("default");
    assertThat(range).as("the range Docker gives containers addresses from").isNotNull();
    assertThat(ClientAddresses.subnet(range).matches(edgeSocket)).as("outside " + range).isFalse();
    for (ComposeService gateway : gateways(compose)) {
      assertThat(gateway.environment()).as(gateway.name())
        .containsEntry("SURGE_GATEWAY_TRUSTED_PROXIES", edgeAddress);
      assertThat(gateway.get("ports")).as(gateway.name() + " is reached through the edge only").isNull();
    }
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

  private static List<ComposeService> gateways(ComposeFile compose) {
    return compose.surgeServices().stream().filter(s -> "gateway".equals(s.buildArg("SERVICE"))).toList();
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
