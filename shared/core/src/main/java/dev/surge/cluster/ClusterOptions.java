package dev.surge.cluster;

import java.time.Duration;
import java.util.List;

/**
 * The cluster a service joins, as {@link Clustering#options} reads it from the {@code cluster.*} keys (their
 * descriptions and defaults there): what a {@link ClusterProvider} is given, rather than the whole configuration.
 *
 * @param discovery            {@link Clustering#MEMBERS} or {@link Clustering#KUBERNETES}
 * @param members              host:port of the other members, for {@code members} discovery
 * @param kubernetesServiceDns the headless Service's DNS name, for {@code kubernetes} discovery; else null
 * @param host                 the address to bind, or null for the provider's choice
 * @param publicHost           the address the others reach this member at, or null for {@code host}
 * @param failAfter            how long a member may go unheard before the others drop it
 * @param tls                  the event bus's mutual TLS, or null when it runs in the clear
 */
public record ClusterOptions(String name, String discovery, List<String> members, String kubernetesServiceDns,
                             String host, String publicHost, int port, int eventBusPort, Duration failAfter,
                             Tls tls) {

  /**
   * The event bus's mutual TLS: PEM files of this member's certificate and key, and of the CA whose signature makes
   * a peer a member.
   */
  public record Tls(String cert, String key, String ca) {
  }

  public ClusterOptions {
    members = List.copyOf(members);
  }

  public boolean kubernetes() {
    return Clustering.KUBERNETES.equals(discovery);
  }
}
