package dev.surge.standalone.k8s;

import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import dev.surge.standalone.containers.ServiceModules;
import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.K8sManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hazelcast finds the members by looking up the headless Service surge-cluster: it must list every clustered pod
 * (those of the services built with the cluster: not the gateway's),
 * ready or not (members join before they are ready), and only those; each member binds and is reached at its
 * pod's IP, on the ports its container declares.
 */
class KubernetesClusterServiceListsEveryClusteredPodTest {

  @Test
  void theHeadlessServiceSelectsEveryClusteredPodAndNoOther() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    Map<String, Object> cluster = manifests.named("Service", "surge-cluster");
    assertThat(K8sManifests.<String>at(cluster, "spec", "clusterIP")).isEqualTo("None");
    assertThat(K8sManifests.<Boolean>at(cluster, "spec", "publishNotReadyAddresses")).isTrue();
    Map<String, String> selector = at(cluster, "spec", "selector");
    assertThat(selector).isNotEmpty();
    for (K8sManifests.Container container : manifests.containers()) {
      boolean clustered = Deployed.config(container).get(ChassisKeys.CLUSTER_ENABLED);
      assertThat(container.podLabels().entrySet().containsAll(selector.entrySet()))
        .as(container.deploymentName() + (clustered ? " is clustered: selected" : " is not clustered: not selected"))
        .isEqualTo(clustered);
    }
    for (K8sManifests.Container container : manifests.containers()) {
      String service = container.deploymentName();
      assertThat(Deployed.config(container).get(ChassisKeys.CLUSTER_ENABLED))
        .as(service + (ServiceModules.canCluster(service) ? " talks over the event bus: it joins the cluster"
          : " is built without the cluster: told to join, it would not start"))
        .isEqualTo(ServiceModules.canCluster(service));
    }
  }

  @Test
  void everyMemberFindsTheOthersThroughThatServiceAndIsReachedAtItsPodsAddress() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    Map<String, Object> cluster = manifests.named("Service", "surge-cluster");
    for (K8sManifests.Container container : manifests.containers()) {
      SurgeConfig config = Deployed.config(container);
      if (!config.get(ChassisKeys.CLUSTER_ENABLED)) {
        continue;
      }
      Map<String, K8sManifests.Env> env = container.env();
      String name = container.deploymentName();
      assertThat(env).as(name).containsKeys("SURGE_CLUSTER_DISCOVERY", "SURGE_CLUSTER_KUBERNETES_SERVICE_DNS",
        "SURGE_CLUSTER_HOST");
      assertThat(env.get("SURGE_CLUSTER_DISCOVERY").value()).as(name).isEqualTo("kubernetes");
      assertThat(env.get("SURGE_CLUSTER_KUBERNETES_SERVICE_DNS").value()).as(name)
        .isEqualTo("surge-cluster." + manifests.namespace() + ".svc.cluster.local");
      assertThat(env.get("SURGE_CLUSTER_HOST").source()).as(name + " binds its pod's IP").isEqualTo("field:status.podIP");
      assertThat(env).as(name + ": the pod's IP is the address the others see").doesNotContainKey("SURGE_CLUSTER_PUBLIC_HOST");
      int clusterPort = config.get(ChassisKeys.CLUSTER_PORT);
      assertThat(container.port(clusterPort)).as(name + " declares its cluster port").isEqualTo(clusterPort);
      int eventBusPort = config.get(ChassisKeys.CLUSTER_EVENT_BUS_PORT);
      assertThat(eventBusPort).as(name + ": a fixed event-bus port").isNotZero();
      assertThat(container.port(eventBusPort)).as(name + " declares its event-bus port").isEqualTo(eventBusPort);
      assertThat(K8sManifests.<List<Map<String, Object>>>at(cluster, "spec", "ports"))
        .anyMatch(port -> container.port(port.get("targetPort")) != null
          && container.port(port.get("targetPort")) == clusterPort && port.get("port").equals(clusterPort));
    }
  }
}
