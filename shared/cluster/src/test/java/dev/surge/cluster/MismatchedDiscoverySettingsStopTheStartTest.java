package dev.surge.cluster;

import dev.surge.testing.EchoService;
import dev.surge.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery settings that would leave each member in a cluster of its own stop the start with exit code 2: the
 * kubernetes discovery without the Service's DNS name, or that name given to the member-list discovery.
 */
class MismatchedDiscoverySettingsStopTheStartTest {

  @Test
  void kubernetesDiscoveryWithoutTheServicesDnsNameExitsWithCode2() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_CLUSTER_ENABLED", "true",
      "SURGE_CLUSTER_DISCOVERY", "kubernetes"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("surge: invalid configuration: cluster.discovery is kubernetes: set "
        + "cluster.kubernetes.serviceDns (SURGE_CLUSTER_KUBERNETES_SERVICE_DNS) to the DNS name of the headless "
        + "Service that selects every clustered pod");
    }
  }

  @Test
  void theServicesDnsNameWithoutKubernetesDiscoveryExitsWithCode2() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_CLUSTER_ENABLED", "true",
      "SURGE_CLUSTER_KUBERNETES_SERVICE_DNS", "surge-cluster.surge.svc.cluster.local"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("cluster.kubernetes.serviceDns is set but cluster.discovery is members");
    }
  }
}
