package dev.surge.cluster;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoProcess;
import dev.surge.testing.EchoService;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.ServiceProcess;
import dev.surge.testing.TestService;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member that stops answering without closing anything (a killed container, a host cut off; here a process
 * stopped with SIGSTOP, whose sockets stay open) keeps its share of every event-bus request until the others drop
 * it: after {@code cluster.failAfter}, not Hazelcast's default of a minute. Once it runs again, it and the others
 * have each formed a cluster of their own; they merge within that time again, not Hazelcast's default of minutes.
 */
class AFrozenMemberIsDroppedAndMergesBackTest {

  private static final Pattern MEMBERS = Pattern.compile("(?m)^surge_cluster_members(?:\\{[^}]*})? ([0-9.]+)$");

  @Test
  void requestsStopGoingToAFrozenMemberAndItMergesBackWhenItRuns() throws Exception {
    int[] ports = {FreePorts.pick(), FreePorts.pick()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
    Map<String, Object> config = new HashMap<>(Map.of("cluster.enabled", true, "cluster.name", "frozen-" + ports[0],
      "cluster.host", "127.0.0.1", "cluster.port", ports[0], "cluster.eventBusPort", 0, "cluster.members", members,
      "cluster.failAfter", "3s"));
    config.putAll(LoopbackCluster.tls());
    try (TestService here = TestService.start(EchoService.definition(), config); EchoProcess there = new EchoProcess()) {
      Map<String, String> environment = new HashMap<>(Map.of("SURGE_CLUSTER_ENABLED", "true",
        "SURGE_CLUSTER_NAME", "frozen-" + ports[0], "SURGE_CLUSTER_HOST", "127.0.0.1",
        "SURGE_CLUSTER_PORT", String.valueOf(ports[1]), "SURGE_CLUSTER_EVENT_BUS_PORT", "0",
        "SURGE_CLUSTER_MEMBERS", members, "SURGE_CLUSTER_FAIL_AFTER", "3s"));
      environment.putAll(LoopbackCluster.tlsEnvironment());
      ServiceProcess frozen = there.start(environment);
      assertThat(answeredInARow(here, 10, 60)).as("both members answer echo.ping").isTrue();

      frozen.signal("STOP");
      try {
        // Half the requests went to it and go unanswered until it is dropped; Hazelcast's default would take 60 s.
        assertThat(answeredInARow(here, 20, 30)).as("every request answered, within 30 s of the freeze").isTrue();
        assertThat(members(here)).as("the frozen member dropped").isEqualTo(1);
      } finally {
        frozen.signal("CONT");
      }
      long deadline = System.nanoTime() + 60_000_000_000L; // Hazelcast's default: a first merge after 5 minutes
      while (members(here) != 2 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(members(here)).as("the two clusters merged again, within a minute").isEqualTo(2);
    }
  }

  private static double members(TestService service) {
    Matcher matcher = MEMBERS.matcher(service.get("/metrics").bodyAsString());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
  }

  /** Whether {@code count} requests in a row to {@code echo.ping} were answered (in 1 s each) within {@code seconds}. */
  private static boolean answeredInARow(TestService service, int count, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    int inARow = 0;
    while (inARow < count && System.nanoTime() < deadline) {
      try {
        TestService.await(service.running().vertx().eventBus().request("echo.ping", "x",
          new DeliveryOptions().setSendTimeout(1000)));
        inARow++;
      } catch (RuntimeException unanswered) {
        inARow = 0;
      }
    }
    return inARow >= count;
  }
}
