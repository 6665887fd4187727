package dev.surge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import dev.surge.testing.LoopbackCluster;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cluster.discovery} picks how Hazelcast finds the members, and only that one way is on (Hazelcast refuses
 * to start with two): the member list over TCP, or the Kubernetes Service's DNS name at {@code cluster.port}.
 */
class EachDiscoveryTurnsOnOneHazelcastJoinTest {

  @Test
  void membersJoinOverTcpFromTheList() {
    JoinConfig join = join(Map.of("cluster.members", "node-1:5701,node-2:5701"));
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("node-1:5701", "node-2:5701");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    join.verify(); // Hazelcast's own check: one way to join
  }

  @Test
  void kubernetesLooksUpTheServicesDnsNameAtTheClusterPortWithTcpOff() {
    JoinConfig join = join(Map.of("cluster.discovery", "kubernetes", "cluster.port", 5710,
      "cluster.kubernetes.serviceDns", "surge-cluster.surge.svc.cluster.local"));
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
      "service-dns", "surge-cluster.surge.svc.cluster.local", "service-port", "5710"));
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    join.verify();
  }

  private static JoinConfig join(Map<String, ?> cluster) {
    return hazelcast(cluster).getNetworkConfig().getJoin();
  }

  private static Config hazelcast(Map<String, ?> cluster) {
    SurgeConfig config = SurgeConfig.of(ChassisKeys.all(), cluster).with("test", Map.of("cluster.enabled", true))
      .with("tls", LoopbackCluster.tls());
    Clustering.validate(config);
    return dev.surge.cluster.impl.HazelcastClusterProvider.hazelcast(Clustering.options(config));
  }

  @Test
  void aListedMemberIsTakenInWithinASecondButKubernetesWaitsItsDefaultForPeersToBePublished() {
    assertThat(hazelcast(Map.of("cluster.members", "node-1:5701,node-2:5701"))
      .getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("1");
    assertThat(hazelcast(Map.of("cluster.discovery", "kubernetes",
      "cluster.kubernetes.serviceDns", "surge-cluster.surge.svc.cluster.local"))
      .getProperty("hazelcast.wait.seconds.before.join"))
      .as("Hazelcast's 5 s: also how long a pod looks for a first peer in the Service's DNS").isNull();
  }
}
