package dev.surge.standalone.k8s;

import dev.surge.config.ChassisKeys;
import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.K8sManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kubernetes sends a pod traffic once {@code /health/ready} answers and restarts it when {@code /health/live}
 * stops answering: both asked on the port the service listens on, and each Service sends to that port of its own
 * Deployment's pods.
 */
class KubernetesProbesAskEachServiceOnItsHttpPortTest {

  @Test
  void readinessAndLivenessAreAskedOnTheServicesHttpPort() throws Exception {
    for (K8sManifests.Container container : K8sManifests.read().containers()) {
      int port = Deployed.config(container).get(ChassisKeys.HTTP_PORT);
      String name = container.deploymentName();
      assertThat(container.port("http")).as(name + "'s http container port").isEqualTo(port);
      assertProbe(container, "readinessProbe", "/health/ready", port);
      assertProbe(container, "livenessProbe", "/health/live", port);
      if (container.spec().containsKey("startupProbe")) {
        assertProbe(container, "startupProbe", "/health/live", port);
      }
    }
  }

  @Test
  void eachServiceSendsToItsDeploymentsPodsOnTheirHttpPort() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    for (K8sManifests.Container container : manifests.containers()) {
      String name = container.deploymentName();
      Map<String, Object> service = manifests.named("Service", name);
      Map<String, String> selector = at(service, "spec", "selector");
      assertThat(container.podLabels()).as("Service " + name + " selects the pods of Deployment " + name)
        .containsAllEntriesOf(selector);
      assertThat(selector).as("Service " + name + " selects no other Deployment's pods").isNotEmpty();
      manifests.containers().stream().filter(other -> !other.deploymentName().equals(name)).forEach(other ->
        assertThat(other.podLabels().entrySet().containsAll(selector.entrySet()))
          .as("Service " + name + " selects " + other.deploymentName()).isFalse());
      List<Map<String, Object>> ports = at(service, "spec", "ports");
      assertThat(ports).hasSize(1);
      assertThat(container.port(ports.getFirst().get("targetPort"))).as("Service " + name + "'s target port")
        .isEqualTo(Deployed.config(container).get(ChassisKeys.HTTP_PORT));
    }
  }

  private static void assertProbe(K8sManifests.Container container, String probe, String path, int port) {
    String what = container.deploymentName() + "'s " + probe;
    assertThat(K8sManifests.<String>at(container.spec(), probe, "httpGet", "path")).as(what + " path").isEqualTo(path);
    Object probePort = at(container.spec(), probe, "httpGet", "port");
    assertThat(probePort).as(what + " port").isNotNull();
    assertThat(container.port(probePort)).as(what + " port " + probePort).isEqualTo(port);
  }
}
