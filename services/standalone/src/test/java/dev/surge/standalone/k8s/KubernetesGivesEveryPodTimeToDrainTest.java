package dev.surge.standalone.k8s;

import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.surge.testing.K8sManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod being stopped first sleeps in its preStop hook (Kubernetes takes it out of its Services meanwhile), then
 * gets SIGTERM: Surge withdraws its consumers and reports not ready, closes its listener after
 * {@code shutdown.delay}, gives requests and jobs {@code shutdown.grace}, then closes its pools and leaves the
 * cluster. Kubernetes kills it {@code terminationGracePeriodSeconds} after the hook began: that must cover it all,
 * or requests in flight and running jobs are cut off.
 */
class KubernetesGivesEveryPodTimeToDrainTest {

  /** After the grace: the chassis's own guard (1 s), then closing the pools and leaving the cluster. */
  private static final Duration CLOSING = Duration.ofSeconds(5);

  @Test
  void theTerminationGracePeriodCoversThePreStopSleepTheDelayTheGraceAndTheClose() throws Exception {
    for (K8sManifests.Container container : K8sManifests.read().containers()) {
      String name = container.deploymentName();
      SurgeConfig config = Deployed.config(container);
      Integer preStop = at(container.spec(), "lifecycle", "preStop", "sleep", "seconds");
      assertThat(preStop).as(name + " sleeps in preStop while Kubernetes takes it out of its Services").isPositive();
      Duration delay = config.get(ChassisKeys.SHUTDOWN_DELAY);
      Duration grace = config.get(ChassisKeys.SHUTDOWN_GRACE);
      assertThat(delay).as(name + ": the other members hear its consumers are gone before it closes")
        .isPositive();
      Integer terminationGrace = (Integer) container.podSpec().get("terminationGracePeriodSeconds");
      assertThat(terminationGrace).as(name + "'s terminationGracePeriodSeconds").isNotNull();
      Duration drain = Duration.ofSeconds(preStop).plus(delay).plus(grace).plus(CLOSING);
      assertThat(Duration.ofSeconds(terminationGrace)).as(name + ": preStop " + preStop + " s + shutdown.delay "
        + delay + " + shutdown.grace " + grace + " + closing " + CLOSING).isGreaterThanOrEqualTo(drain);
    }
  }
}
