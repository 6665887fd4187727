package dev.surge.orders;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each member's {@code surge_cluster_members} is the cluster it sees, itself included, and drops when a member
 * leaves: what an operator (and ops/compose-test.sh) reads to tell a whole cluster from a split one.
 */
class ClusterMembersAreCountedOnEveryMemberTest {

  private static final Pattern MEMBERS = Pattern.compile("(?m)^surge_cluster_members(?:\\{[^}]*})? ([0-9.]+)$");

  private static double members(TestService service) {
    Matcher matcher = MEMBERS.matcher(service.get("/metrics").bodyAsString());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
  }

  @Test
  void aMemberSeesTheOtherJoinAndLeave() {
    LoopbackCluster cluster = LoopbackCluster.of(2);
    try (TestService first = TestService.start(CatalogMain.definition(), cluster.member(0, Map.of()))) {
      TestService second = TestService.anotherNode(first, CatalogMain.definition(), cluster.member(1, Map.of()));
      try {
        Platform.eventually("both members count two", () -> members(first) == 2 && members(second) == 2);
      } finally {
        second.close();
      }
      Platform.eventually("the first counts itself alone once the second has left", () -> members(first) == 1);
    }
  }
}
