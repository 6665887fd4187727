package dev.surge.standalone.k8s;

import dev.surge.ServiceDefinition;
import dev.surge.standalone.StandaloneMain;
import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A variable a service does not know does nothing, silently: every variable a pod of ops/k8s gets (its own, the
 * shared ConfigMap's, the Secret's) is a configuration key of the service it runs, with a value that service
 * accepts at start.
 */
class KubernetesSetsOnlyConfigurationTheServicesKnowTest {

  /** The one variable that is the JVM's, not Surge's. */
  private static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");

  @Test
  void everyVariableOfEveryContainerIsAKeyOfItsService() throws Exception {
    List<String> unknown = new ArrayList<>();
    for (K8sManifests.Container container : K8sManifests.read().containers()) {
      Set<String> known = Deployed.envNames(Deployed.service(container));
      container.env().keySet().stream().filter(name -> !known.contains(name) && !JVM.contains(name))
        .forEach(name -> unknown.add(container.deploymentName() + ": " + name));
    }
    assertThat(unknown).as("variables no key of the service reads").isEmpty();
  }

  @Test
  void everyValueIsOneItsServiceAcceptsAtStart() throws Exception {
    for (K8sManifests.Container container : K8sManifests.read().containers()) {
      assertThatCode(() -> Deployed.config(container)).as(container.deploymentName()).doesNotThrowAnyException();
    }
  }

  @Test
  void theGatewayCatalogOrdersAndJobsAreDeployedEachByItsOwnName() throws Exception {
    List<String> deployed = K8sManifests.read().containers().stream()
      .map(c -> Deployed.service(c).name() + "/" + c.name()).toList();
    assertThat(deployed).containsExactlyInAnyOrderElementsOf(
      StandaloneMain.services().stream().map(ServiceDefinition::name).map(n -> n + "/" + n).toList());
  }
}
