package dev.surge.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * What makes the cluster a service joins when {@code cluster.enabled}: the {@code surge-cluster} module's
 * Hazelcast, found on the class path as Vert.x finds its own cluster manager (a {@code META-INF/services} entry),
 * so that a service that sends nothing across processes (the gateway) carries no cluster in its jar.
 */
public interface ClusterProvider {

  /** A cluster manager for these options, not yet joined. */
  ClusterManager manager(ClusterOptions options);

  /**
   * Called once joined: logs the members that join and leave, and, with a registry (null without metrics), keeps
   * {@code surge_cluster_members}, the members this one sees.
   */
  void joined(ClusterManager manager, MeterRegistry registry);
}
