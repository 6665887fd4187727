package dev.surge.orders;

import dev.surge.catalog.CatalogMain;
import dev.surge.net.FreePorts;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each member's {@code surge_cluster_members} is the cluster it sees, itself included, and drops when a member
 * leaves: what an operator (and ops/compose-test.sh) reads to tell a whole cluster from a split one.
 */
class ClusterMembersAreCountedOnEveryMemberTest {

  private static final Pattern MEMBERS = Pattern.compile("(?m)^surge_cluster_members(?:\\{[^}]*})? ([0-9.]+)$");

  private static Map<String, Object> member(int[] ports, int index) {
    Map<String, Object> config = new HashMap<>();
    config.put("cluster.enabled", true);
    config.put("cluster.name", "members-" + ports[0]);
    config.put("cluster.host", "127.0.0.1");
    config.put("cluster.port", ports[index]);
    config.put("cluster.eventBusPort", 0);
    config.put("cluster.members", "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
    return config;
  }

  private static double members(TestService service) {
    Matcher matcher = MEMBERS.matcher(service.get("/metrics").bodyAsString());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
  }

  @Test
  void aMemberSeesTheOtherJoinAndLeave() {
    int[] ports = {FreePorts.pick(), FreePorts.pick()};
    try (TestService first = TestService.start(CatalogMain.definition(), member(ports, 0))) {
      TestService second = TestService.anotherNode(first, CatalogMain.definition(), member(ports, 1));
      try {
        Platform.eventually("both members count two", () -> members(first) == 2 && members(second) == 2);
      } finally {
        second.close();
      }
      Platform.eventually("the first counts itself alone once the second has left", () -> members(first) == 1);
    }
  }
}
