package dev.surge.cluster;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigException;
import dev.surge.config.SurgeConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The clustered event bus: Hazelcast finds the members without multicast, which neither containers nor clouds
 * pass, in one of two ways ({@code cluster.discovery}): from a fixed list over TCP ({@code members}), or, in
 * Kubernetes, at the addresses a headless Service's DNS name resolves to ({@code kubernetes}: Hazelcast's own
 * Kubernetes discovery in DNS-lookup mode, which needs no Kubernetes API permissions). The event bus listens on a
 * fixed port, so both work across containers and machines once their ports are reachable. Without
 * {@code cluster.enabled} a service keeps its local event bus. The cluster itself (Hazelcast) is the
 * {@code surge-cluster} module's ({@link ClusterProvider}); what is here reads the keys and sets the event bus.
 */
public final class Clustering {

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
    if (findProvider().isEmpty()) {
      throw new ConfigException("cluster.enabled is true, but " + config.get(ChassisKeys.SERVICE_NAME)
        + " is built without clustering (the surge-cluster module): it sends nothing over the event bus to other "
        + "processes; set cluster.enabled to false for it (" + ChassisKeys.CLUSTER_ENABLED.envName() + "=false)");
    }
    ClusterOptions cluster = options(config);
    boolean kubernetes = cluster.kubernetes();
    String serviceDns = cluster.kubernetesServiceDns();
    if (kubernetes && serviceDns == null) {
      throw new ConfigException("cluster.discovery is kubernetes: set cluster.kubernetes.serviceDns ("
        + ChassisKeys.CLUSTER_KUBERNETES_SERVICE_DNS.envName() + ") to the DNS name of the headless Service that "
        + "selects every clustered pod, such as surge-cluster.surge.svc.cluster.local");
    }
    if (kubernetes && !cluster.members().isEmpty()) {
      throw new ConfigException("cluster.members is set but cluster.discovery is kubernetes, which finds the members "
        + "at the addresses of cluster.kubernetes.serviceDns: unset cluster.members");
    }
    if (!kubernetes && serviceDns != null) {
      throw new ConfigException("cluster.kubernetes.serviceDns is set but cluster.discovery is members, which "
        + "reads only cluster.members: set cluster.discovery to kubernetes, or unset cluster.kubernetes.serviceDns");
    }
  }

  /**
   * The {@link ClusterProvider} on the class path; validated to be there when {@code cluster.enabled}, so a
   * service built without {@code surge-cluster} and told to cluster stops at its start, saying so.
   */
  public static ClusterProvider provider() {
    return findProvider().orElseThrow(() -> new IllegalStateException("no ClusterProvider on the class path"));
  }

  private static Optional<ClusterProvider> findProvider() {
    return ServiceLoader.load(ClusterProvider.class, Clustering.class.getClassLoader()).findFirst();
  }

  /** The one place the {@code cluster.*} keys are read into what the provider and the event bus are given. */
  public static ClusterOptions options(SurgeConfig config) {
    return new ClusterOptions(config.get(ChassisKeys.CLUSTER_NAME), config.get(ChassisKeys.CLUSTER_DISCOVERY),
      config.get(ChassisKeys.CLUSTER_MEMBERS), config.get(ChassisKeys.CLUSTER_KUBERNETES_SERVICE_DNS),
      config.get(ChassisKeys.CLUSTER_HOST), config.get(ChassisKeys.CLUSTER_PUBLIC_HOST),
      config.get(ChassisKeys.CLUSTER_PORT), config.get(ChassisKeys.CLUSTER_EVENT_BUS_PORT),
      config.get(ChassisKeys.CLUSTER_FAIL_AFTER));
  }

  /** How the members are found, for the log. */
  public static String discovery(ClusterOptions cluster) {
    return cluster.kubernetes() ? "members at the addresses of " + cluster.kubernetesServiceDns()
      : "members " + cluster.members();
  }

  /** The event bus's address: where it listens, and where the other members reach it. */
  public static VertxOptions eventBus(VertxOptions options, ClusterOptions cluster) {
    // The event bus's own check of each connection (a ping, closed unanswered) on the same clock as the cluster's,
    // so that messages stop queuing on a connection to a member gone with no reset (20 s and 20 s by default).
    long failAfterMs = cluster.failAfter().toMillis();
    EventBusOptions bus = options.getEventBusOptions().setPort(cluster.eventBusPort())
      .setClusterPingInterval(failAfterMs / 2).setClusterPingReplyInterval(failAfterMs / 2);
    String host = cluster.host();
    if (host != null) {
      bus.setHost(host);
    }
    String publicHost = cluster.publicHost();
    if (publicHost != null) {
      bus.setClusterPublicHost(publicHost);
    }
    return options;
  }
}
