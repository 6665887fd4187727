package dev.surge.standalone.k8s;

import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import dev.surge.gateway.GatewayMain;
import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.K8sManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway reaches the catalog, orders and jobs at their Services' DNS names in the namespace the manifests go
 * to, on the port each Service listens on, which leads to the service's own HTTP port.
 */
class KubernetesGatewayReachesEachServiceByItsServiceNameTest {

  @Test
  void everyUpstreamIsTheServiceOfThatNameAtItsPort() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    K8sManifests.Container gateway = manifests.container("gateway");
    SurgeConfig config = Deployed.config(gateway);
    for (String upstream : List.of("catalog", "orders", "jobs")) {
      List<String> addresses = config.get(GatewayMain.UPSTREAMS.get(upstream));
      Map<String, Object> service = manifests.named("Service", upstream);
      Map<String, Object> port = K8sManifests.<List<Map<String, Object>>>at(service, "spec", "ports").getFirst();
      assertThat(addresses).as("the gateway's " + upstream)
        .containsExactly(upstream + "." + manifests.namespace() + ".svc.cluster.local:" + port.get("port"));
      K8sManifests.Container target = manifests.container(upstream);
      assertThat(target.port(port.get("targetPort"))).as("Service " + upstream + " leads to its HTTP port")
        .isEqualTo(Deployed.config(target).get(ChassisKeys.HTTP_PORT));
      assertThat(K8sManifests.<String>at(service, "spec", "clusterIP")).as("a Service with one address, not headless")
        .isNotEqualTo("None");
    }
  }
}
