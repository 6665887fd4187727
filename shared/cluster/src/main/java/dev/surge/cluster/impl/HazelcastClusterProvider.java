package dev.surge.cluster.impl;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.kubernetes.KubernetesProperties;
import dev.surge.cluster.ClusterOptions;
import dev.surge.cluster.ClusterProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The cluster as Hazelcast forms it, with Vert.x's Hazelcast cluster manager: the {@code cluster.*} keys. */
public final class HazelcastClusterProvider implements ClusterProvider {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastClusterProvider.class);

  @Override
  public ClusterManager manager(ClusterOptions options) {
    return new HazelcastClusterManager(hazelcast(options));
  }

  /** Hazelcast's configuration: Vert.x's defaults for it, with the cluster's options. */
  public static Config hazelcast(ClusterOptions cluster) {
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName(cluster.name());
    // Hazelcast's own shutdown hook would leave the cluster before the service has drained.
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    // Hazelcast's defaults (a heartbeat every 5 s, a member dropped after 60 s unheard) suit a WAN: on a LAN they
    // let a killed member keep its share of every event-bus request for a minute.
    long failAfterSeconds = cluster.failAfter().toSeconds();
    hazelcast.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(failAfterSeconds));
    hazelcast.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(Math.max(1, failAfterSeconds / 5)));
    // A member dropped while cut off forms a cluster of its own; once the network is back, the two merge when
    // Hazelcast next looks for another cluster: by default 5 minutes after the start, then every 2. On the same
    // clock instead (Vert.x publishes the member's consumers again on the merge).
    hazelcast.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(failAfterSeconds));
    hazelcast.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(failAfterSeconds));
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    String host = cluster.host();
    if (host != null) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
      hazelcast.setProperty("hazelcast.local.localAddress", host);
      // Only there, as the key says: Hazelcast's default listens on every address of the machine.
      hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    }
    String publicHost = cluster.publicHost();
    if (publicHost != null) {
      network.setPublicAddress(publicHost + ":" + cluster.port());
    }
    // One way to join, or Hazelcast refuses to start.
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetes()) {
      join.getTcpIpConfig().setEnabled(false);
      // Every pod of the Service at the same port, its own cluster.port: each one's port is the others'.
      join.getKubernetesConfig().setEnabled(true)
        .setProperty(KubernetesProperties.SERVICE_DNS.key(), cluster.kubernetesServiceDns())
        .setProperty(KubernetesProperties.SERVICE_PORT.key(), String.valueOf(cluster.port()));
    } else {
      join.getKubernetesConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
      // The master holds each join request 5 s by default, to take several joiners at once and move partitions once;
      // Surge's members keep next to nothing in Hazelcast (who consumes which address), so every member but the
      // first was ready 4 s later for no gain: 5.3 s from start to joined, 1.3 s with this. Not with kubernetes
      // discovery, which also reads it as how long to wait for a first peer in the Service's DNS before forming a
      // cluster of its own: pods starting together need those seconds for their addresses to be published.
      hazelcast.setProperty("hazelcast.wait.seconds.before.join", "1");
    }
    return hazelcast;
  }

  /**
   * Logs every member that joins or leaves (Hazelcast's own membership log is below the level Surge keeps) and,
   * with a registry, keeps {@code surge_cluster_members}: the members this one sees, so a partition or a member
   * gone shows on every side of it.
   */
  @Override
  public void joined(ClusterManager manager, MeterRegistry registry) {
    Cluster cluster = ((HazelcastClusterManager) manager).getHazelcastInstance().getCluster();
    cluster.addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("Cluster member joined: {}; {} members", event.getMember().getAddress(), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        LOG.warn("Cluster member left: {}; {} members", event.getMember().getAddress(), event.getMembers().size());
      }
    });
    if (registry != null) {
      Gauge.builder("surge_cluster_members", cluster, c -> c.getMembers().size())
        .description("Cluster members this one sees, itself included").register(registry);
    }
  }
}
