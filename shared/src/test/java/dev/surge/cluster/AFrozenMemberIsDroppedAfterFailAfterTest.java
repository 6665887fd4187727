package dev.surge.cluster;

import dev.surge.embedded.FreePorts;
import dev.surge.testing.EchoProcess;
import dev.surge.testing.EchoService;
import dev.surge.testing.ServiceProcess;
import dev.surge.testing.TestService;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member that stops answering without closing anything (a killed container, a host cut off; here a process
 * stopped with SIGSTOP, whose sockets stay open) keeps its share of every event-bus request until the others drop
 * it: after {@code cluster.failAfter}, not Hazelcast's default of a minute.
 */
class AFrozenMemberIsDroppedAfterFailAfterTest {

  @Test
  void requestsStopGoingToAFrozenMemberOnceItIsDropped() throws Exception {
    int[] ports = {FreePorts.pick(), FreePorts.pick()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
    Map<String, Object> config = new HashMap<>(Map.of("cluster.enabled", true, "cluster.name", "frozen-" + ports[0],
      "cluster.host", "127.0.0.1", "cluster.port", ports[0], "cluster.eventBusPort", 0, "cluster.members", members,
      "cluster.failAfter", "3s"));
    try (TestService here = TestService.start(EchoService.definition(), config); EchoProcess there = new EchoProcess()) {
      ServiceProcess frozen = there.start(Map.of("SURGE_CLUSTER_ENABLED", "true",
        "SURGE_CLUSTER_NAME", "frozen-" + ports[0], "SURGE_CLUSTER_HOST", "127.0.0.1",
        "SURGE_CLUSTER_PORT", String.valueOf(ports[1]), "SURGE_CLUSTER_EVENT_BUS_PORT", "0",
        "SURGE_CLUSTER_MEMBERS", members, "SURGE_CLUSTER_FAIL_AFTER", "3s"));
      assertThat(answeredInARow(here, 10, 60)).as("both members answer echo.ping").isTrue();

      frozen.signal("STOP");
      try {
        // Half the requests went to it and go unanswered until it is dropped; Hazelcast's default would take 60 s.
        assertThat(answeredInARow(here, 20, 30)).as("every request answered, within 30 s of the freeze").isTrue();
      } finally {
        frozen.signal("CONT");
      }
    }
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
