package dev.surge.cluster;

import dev.surge.testing.EchoService;
import dev.surge.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core carries no cluster (Hazelcast is the surge-cluster module's): a service built without it and told to
 * join one stops at its start with exit code 2 and says what to do, rather than running alone while its operator
 * believes it clustered. These tests run without surge-cluster on the class path, as the gateway's jar does.
 */
class AServiceBuiltWithoutTheClusterToldToJoinOneStopsAtItsStartTest {

  @Test
  void clusterEnabledWithoutTheClusterModuleExitsWithCode2NamingTheSetting() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_CLUSTER_ENABLED", "true"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("surge: invalid configuration: cluster.enabled is true, but echo is built "
        + "without clustering (the surge-cluster module)")
        .contains("SURGE_CLUSTER_ENABLED=false");
    }
  }

  @Test
  void toldNotToJoinTheSameServicePassesTheChecks() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_CLUSTER_ENABLED", "false"),
      "--print-config")) {
      assertThat(p.waitFor(60)).isEqualTo(0);
      assertThat(p.output()).containsPattern("cluster\\.enabled\\s+= false");
    }
  }
}
