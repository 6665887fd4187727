package dev.surge.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The clustered event bus: Hazelcast finds the members from a fixed list over TCP (no multicast, which neither
 * containers nor clouds pass), and the event bus listens on a fixed port, so both work across containers and
 * machines once their ports are published. Without {@code cluster.enabled} a service keeps its local event bus.
 */
public final class Clustering {

  private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);

  private Clustering() {
  }

  public static boolean enabled(SurgeConfig config) {
    return config.get(ChassisKeys.CLUSTER_ENABLED);
  }

  /** Vert.x's own cluster settings from the configuration, its Hazelcast defaults kept for the rest. */
  public static HazelcastClusterManager manager(SurgeConfig config) {
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName(config.get(ChassisKeys.CLUSTER_NAME));
    // Hazelcast's own shutdown hook would leave the cluster before the service has drained.
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(config.get(ChassisKeys.CLUSTER_PORT)).setPortAutoIncrement(false);
    String host = config.get(ChassisKeys.CLUSTER_HOST);
    if (host != null) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
      hazelcast.setProperty("hazelcast.local.localAddress", host);
    }
    String publicHost = config.get(ChassisKeys.CLUSTER_PUBLIC_HOST);
    if (publicHost != null) {
      network.setPublicAddress(publicHost + ":" + config.get(ChassisKeys.CLUSTER_PORT));
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.get(ChassisKeys.CLUSTER_MEMBERS));
    return new HazelcastClusterManager(hazelcast);
  }

  /**
   * Logs every member that joins or leaves (Hazelcast's own membership log is below the level Surge keeps) and,
   * with a registry, keeps {@code surge_cluster_members}: the members this one sees, so a partition or a member
   * gone shows on every side of it.
   */
  public static void watchMembers(HazelcastClusterManager manager, MeterRegistry registry) {
    Cluster cluster = manager.getHazelcastInstance().getCluster();
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

  /** The event bus's address: where it listens, and where the other members reach it. */
  public static VertxOptions eventBus(VertxOptions options, SurgeConfig config) {
    EventBusOptions bus = options.getEventBusOptions().setPort(config.get(ChassisKeys.CLUSTER_EVENT_BUS_PORT));
    String host = config.get(ChassisKeys.CLUSTER_HOST);
    if (host != null) {
      bus.setHost(host);
    }
    String publicHost = config.get(ChassisKeys.CLUSTER_PUBLIC_HOST);
    if (publicHost != null) {
      bus.setClusterPublicHost(publicHost);
    }
    return options;
  }
}
