package dev.surge.gateway;

import dev.surge.net.FreePorts;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each HTTP instance of the gateway shows its replicas' availability in {@code surge_gateway_replica_available};
 * an instance stopped (scaled down, restarted, recycled) takes its series with it. They stayed for good: thousands
 * of stale series, and a scrape of hundreds of kilobytes, after a few scalings.
 */
class AStoppedInstanceLeavesNoSeriesBehindTest {

  @Test
  void scaledUpAndDownTheSeriesAreTheLiveInstancesOnly() {
    int adminPort = FreePorts.pick();
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"),
      new HashMap<>(Map.of("admin.port", adminPort, "shutdown.grace", "1s")))) {
      assertThat(series(gateway)).isEqualTo(1);
      assertThat(Gateways.scale(gateway, adminPort, 4)).isEqualTo(200);
      assertThat(series(gateway)).isEqualTo(4);
      assertThat(Gateways.scale(gateway, adminPort, 1)).isEqualTo(200);
      assertThat(series(gateway)).as("one instance left, one series").isEqualTo(1);
    }
  }

  private static long series(TestService gateway) {
    return gateway.get("/metrics").bodyAsString().lines()
      .filter(line -> line.startsWith("surge_gateway_replica_available{")).count();
  }
}
