package dev.surge.standalone.k8s;

import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.K8sManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway runs two pods, as the catalog does, and a node drained for an upgrade evicts at most one pod of each
 * at a time: a disruption budget selects each Deployment of two or more, allows one pod away, and selects no pod of
 * another Deployment.
 */
class KubernetesKeepsEveryServiceOfTwoServingThroughADrainTest {

  @Test
  void theGatewayRunsTwoPods() throws Exception {
    Integer replicas = at(K8sManifests.read().named("Deployment", "gateway"), "spec", "replicas");
    assertThat(replicas).as("gateway replicas").isGreaterThanOrEqualTo(2);
  }

  @Test
  void eachDeploymentOfTwoOrMoreHasABudgetThatLetsOnePodGoAtATime() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    List<Map<String, Object>> budgets = manifests.ofKind("PodDisruptionBudget");
    for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
      String name = at(deployment, "metadata", "name");
      Integer replicas = at(deployment, "spec", "replicas");
      Map<String, String> podLabels = at(deployment, "spec", "template", "metadata", "labels");
      List<Map<String, Object>> selecting = budgets.stream().filter(b -> selects(b, podLabels)).toList();
      if (replicas == null || replicas < 2) {
        assertThat(selecting).as(name + " (one pod): a budget would block every drain").isEmpty();
        continue;
      }
      assertThat(selecting).as(name + "'s disruption budgets").hasSize(1);
      Map<String, Object> budget = selecting.getFirst();
      Object maxUnavailable = at(budget, "spec", "maxUnavailable");
      Object minAvailable = at(budget, "spec", "minAvailable");
      assertThat(maxUnavailable != null ? maxUnavailable.equals(1) : minAvailable.equals(replicas - 1))
        .as(name + ": one pod away at a time (%s)", budget.get("spec")).isTrue();
    }
  }

  private static boolean selects(Map<String, Object> budget, Map<String, String> podLabels) {
    Map<String, String> matchLabels = at(budget, "spec", "selector", "matchLabels");
    return matchLabels != null && podLabels.entrySet().containsAll(matchLabels.entrySet());
  }
}
