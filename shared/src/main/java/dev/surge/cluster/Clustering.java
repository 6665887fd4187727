package dev.surge.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.kubernetes.KubernetesProperties;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigException;
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
 * The clustered event bus: Hazelcast finds the members without multicast, which neither containers nor clouds
 * pass, in one of two ways ({@code cluster.discovery}): from a fixed list over TCP ({@code members}), or, in
 * Kubernetes, at the addresses a headless Service's DNS name resolves to ({@code kubernetes}: Hazelcast's own
 * Kubernetes discovery in DNS-lookup mode, which needs no Kubernetes API permissions). The event bus listens on a
 * fixed port, so both work across containers and machines once their ports are reachable. Without
 * {@code cluster.enabled} a service keeps its local event bus.
 */
public final class Clustering {

  private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);

  /** {@code cluster.discovery}: from {@code cluster.members}. */
  public static final String MEMBERS = "members";
  /** {@code cluster.discovery}: at the addresses of {@code cluster.kubernetes.serviceDns}. */
  public static final String KUBERNETES = "kubernetes";

  private Clustering() {
  }

  public static boolean enabled(SurgeConfig config) {
    return config.get(ChassisKeys.CLUSTER_ENABLED);
  }

  /**
   * Whether the cluster can be joined as configured: with {@code kubernetes} discovery the Service's DNS name is
   * set and the member list is not (it would not be read), and the other way round.
   */
  public static void validate(SurgeConfig config) {
    if (!enabled(config)) {
      return;
    }
    boolean kubernetes = KUBERNETES.equals(config.get(ChassisKeys.CLUSTER_DISCOVERY));
    String serviceDns = config.get(ChassisKeys.CLUSTER_KUBERNETES_SERVICE_DNS);
    if (kubernetes && serviceDns == null) {
      throw new ConfigException("cluster.discovery is kubernetes: set cluster.kubernetes.serviceDns ("
        + ChassisKeys.CLUSTER_KUBERNETES_SERVICE_DNS.envName() + ") to the DNS name of the headless Service that "
        + "selects every clustered pod, such as surge-cluster.surge.svc.cluster.local");
    }
    if (kubernetes && !config.get(ChassisKeys.CLUSTER_MEMBERS).isEmpty()) {
      throw new ConfigException("cluster.members is set but cluster.discovery is kubernetes, which finds the members "
        + "at the addresses of cluster.kubernetes.serviceDns: unset cluster.members");
    }
    if (!kubernetes && serviceDns != null) {
      throw new ConfigException("cluster.kubernetes.serviceDns is set but cluster.discovery is members, which "
        + "reads only cluster.members: set cluster.discovery to kubernetes, or unset cluster.kubernetes.serviceDns");
    }
  }

  /** Vert.x's own cluster settings from the configuration, its Hazelcast defaults kept for the rest. */
  public static HazelcastClusterManager manager(SurgeConfig config) {
    return new HazelcastClusterManager(hazelcast(config));
  }

  /** How the members are found, for the log. */
  public static String discovery(SurgeConfig config) {
    return KUBERNETES.equals(config.get(ChassisKeys.CLUSTER_DISCOVERY))
      ? "members at the addresses of " + config.get(ChassisKeys.CLUSTER_KUBERNETES_SERVICE_DNS)
      : "members " + config.get(ChassisKeys.CLUSTER_MEMBERS);
  }

  static Config hazelcast(SurgeConfig config) {
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName(config.get(ChassisKeys.CLUSTER_NAME));
    // Hazelcast's own shutdown hook would leave the cluster before the service has drained.
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    // Hazelcast's defaults (a heartbeat every 5 s, a member dropped after 60 s unheard) suit a WAN: on a LAN they
    // let a killed member keep its share of every event-bus request for a minute.
    long failAfterSeconds = config.get(ChassisKeys.CLUSTER_FAIL_AFTER).toSeconds();
    hazelcast.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(failAfterSeconds));
    hazelcast.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(Math.max(1, failAfterSeconds / 5)));
    // A member dropped while cut off forms a cluster of its own; once the network is back, the two merge when
    // Hazelcast next looks for another cluster: by default 5 minutes after the start, then every 2. On the same
    // clock instead (Vert.x publishes the member's consumers again on the merge).
    hazelcast.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(failAfterSeconds));
    hazelcast.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(failAfterSeconds));
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(config.get(ChassisKeys.CLUSTER_PORT)).setPortAutoIncrement(false);
    String host = config.get(ChassisKeys.CLUSTER_HOST);
    if (host != null) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
      hazelcast.setProperty("hazelcast.local.localAddress", host);
      // Only there, as the key says: Hazelcast's default listens on every address of the machine.
      hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    }
    String publicHost = config.get(ChassisKeys.CLUSTER_PUBLIC_HOST);
    if (publicHost != null) {
      network.setPublicAddress(publicHost + ":" + config.get(ChassisKeys.CLUSTER_PORT));
    }
    // One way to join, or Hazelcast refuses to start.
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (KUBERNETES.equals(config.get(ChassisKeys.CLUSTER_DISCOVERY))) {
      join.getTcpIpConfig().setEnabled(false);
      // Every pod of the Service at the same port, its own cluster.port: each one's port is the others'.
      join.getKubernetesConfig().setEnabled(true)
        .setProperty(KubernetesProperties.SERVICE_DNS.key(), config.get(ChassisKeys.CLUSTER_KUBERNETES_SERVICE_DNS))
        .setProperty(KubernetesProperties.SERVICE_PORT.key(), String.valueOf(config.get(ChassisKeys.CLUSTER_PORT)));
    } else {
      join.getKubernetesConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(config.get(ChassisKeys.CLUSTER_MEMBERS));
    }
    return hazelcast;
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
    // The event bus's own check of each connection (a ping, closed unanswered) on the same clock as the cluster's,
    // so that messages stop queuing on a connection to a member gone with no reset (20 s and 20 s by default).
    long failAfterMs = config.get(ChassisKeys.CLUSTER_FAIL_AFTER).toMillis();
    EventBusOptions bus = options.getEventBusOptions().setPort(config.get(ChassisKeys.CLUSTER_EVENT_BUS_PORT))
      .setClusterPingInterval(failAfterMs / 2).setClusterPingReplyInterval(failAfterMs / 2);
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
