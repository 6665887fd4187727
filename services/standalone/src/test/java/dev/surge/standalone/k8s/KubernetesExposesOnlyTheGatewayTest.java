package dev.surge.standalone.k8s;

import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.surge.testing.K8sManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * From outside the cluster the platform is reached only through the gateway, its keys and its rate limits: the
 * gateway's Service is the only one a load balancer or a node port serves, no Ingress routes elsewhere, and no
 * pod takes a port of its node.
 */
class KubernetesExposesOnlyTheGatewayTest {

  @Test
  void onlyTheGatewaysServiceIsReachableFromOutside() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    List<String> outside = new ArrayList<>();
    for (Map<String, Object> service : manifests.ofKind("Service")) {
      String type = at(service, "spec", "type");
      if ("LoadBalancer".equals(type) || "NodePort".equals(type) || at(service, "spec", "externalIPs") != null) {
        outside.add(at(service, "metadata", "name"));
      }
    }
    assertThat(outside).as("Services reachable from outside the cluster").containsExactly("gateway");
    assertThat(K8sManifests.<String>at(manifests.named("Service", "gateway"), "spec", "externalTrafficPolicy"))
      .as("the gateway sees each client's own address, for its per-client limits").isEqualTo("Local");
    List<String> behindIngresses = new ArrayList<>();
    manifests.ofKind("Ingress").forEach(ingress -> backends(ingress, behindIngresses));
    assertThat(behindIngresses).as("Services an Ingress routes to").allMatch("gateway"::equals);
  }

  @Test
  void theCheckFindsEveryServiceAnIngressRoutesTo() {
    Map<String, Object> ingress = Map.of("spec", Map.of(
      "defaultBackend", Map.of("service", Map.of("name", "gateway")),
      "rules", List.of(Map.of("http", Map.of("paths", List.of(
        Map.of("path", "/", "backend", Map.of("service", Map.of("name", "catalog", "port", Map.of("number", 8081))))))))));
    List<String> found = new ArrayList<>();
    backends(ingress, found);
    assertThat(found).containsExactlyInAnyOrder("gateway", "catalog");
  }

  /** The name of every Service an Ingress's backends (default or by rule) name, wherever they are in it. */
  private static void backends(Object node, List<String> names) {
    if (node instanceof Map<?, ?> map) {
      if (map.get("service") instanceof Map<?, ?> service && service.get("name") instanceof String name) {
        names.add(name);
      }
      map.values().forEach(value -> backends(value, names));
    } else if (node instanceof List<?> list) {
      list.forEach(value -> backends(value, names));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void noPodTakesItsNodesNetworkOrPorts() throws Exception {
    for (K8sManifests.Container container : K8sManifests.read().containers()) {
      String name = container.deploymentName();
      assertThat(container.podSpec().get("hostNetwork")).as(name + " on its node's network").isNotEqualTo(true);
      for (Map<String, Object> port : (List<Map<String, Object>>) container.spec().getOrDefault("ports", List.of())) {
        assertThat(port).as(name + " takes a port of its node").doesNotContainKey("hostPort");
      }
    }
  }
}
