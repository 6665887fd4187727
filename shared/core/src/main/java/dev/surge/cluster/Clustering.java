package dev.surge.cluster;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigException;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The clustered event bus: Hazelcast finds the members without multicast, which neither containers nor clouds
 * pass, in one of two ways ({@code cluster.discovery}): from a fixed list over TCP ({@code members}), or, in
 * Kubernetes, at the addresses a headless Service's DNS name resolves to ({@code kubernetes}: Hazelcast's own
 * Kubernetes discovery in DNS-lookup mode, which needs no Kubernetes API permissions). The event bus listens on a
 * fixed port, so both work across containers and machines once their ports are reachable. The event bus runs
 * on mutual TLS unless told not to ({@code cluster.tls.*}): a process that reaches its port without a certificate
 * of the cluster's CA can neither send a message nor be sent one. Without {@code cluster.enabled} a service keeps
 * its local event bus. The cluster itself (Hazelcast) is the
 * {@code surge-cluster} module's ({@link ClusterProvider}); what is here reads the keys and sets the event bus.
 */
public final class Clustering {

  /** {@code cluster.discovery}: from {@code cluster.members}. */
  public static final String MEMBERS = "members";
  /** {@code cluster.discovery}: at the addresses of {@code cluster.kubernetes.serviceDns}. */
  public static final String KUBERNETES = "kubernetes";

  private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);
  private static final long WARM_TLS_TIMEOUT_MS = 5_000;

  /** The event bus's TLS files: this member's certificate and key, the cluster's CA. */
  private static final List<ConfigKey<String>> TLS_FILES = List.of(ChassisKeys.CLUSTER_TLS_CERT,
    ChassisKeys.CLUSTER_TLS_KEY, ChassisKeys.CLUSTER_TLS_CA);

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
    validateTls(config);
  }

  /**
   * The event bus is not sent in the clear by default: with {@code cluster.tls.enabled} (the default) every file is
   * set and readable, and without it none is set, as a file set and not used would look like protection that is not
   * there. Only the keys and paths are named, never a file's content.
   */
  private static void validateTls(SurgeConfig config) {
    List<ConfigKey<String>> set = TLS_FILES.stream().filter(k -> config.get(k) != null).toList();
    if (!config.get(ChassisKeys.CLUSTER_TLS_ENABLED)) {
      if (!set.isEmpty()) {
        throw new ConfigException(names(set) + " set but cluster.tls.enabled is false, which sends the event bus in "
          + "the clear: unset " + names(set) + ", or set cluster.tls.enabled to true");
      }
      return;
    }
    List<ConfigKey<String>> unset = TLS_FILES.stream().filter(k -> config.get(k) == null).toList();
    if (!unset.isEmpty()) {
      throw new ConfigException("the clustered event bus runs on mutual TLS: set " + names(unset) + " ("
        + unset.stream().map(ConfigKey::envName).collect(Collectors.joining(", ")) + ") to PEM files of this "
        + "member's certificate, its key and the cluster's CA (docs/cluster.md); or, on a network no one but the "
        + "members reaches, set cluster.tls.enabled to false (" + ChassisKeys.CLUSTER_TLS_ENABLED.envName() + "=false)");
    }
    ClusterTlsFiles.check(config);
  }

  private static String names(List<ConfigKey<String>> keys) {
    return keys.stream().map(ConfigKey::name).collect(Collectors.joining(", "));
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
      config.get(ChassisKeys.CLUSTER_FAIL_AFTER), config.get(ChassisKeys.CLUSTER_TLS_ENABLED)
        ? new ClusterOptions.Tls(config.get(ChassisKeys.CLUSTER_TLS_CERT), config.get(ChassisKeys.CLUSTER_TLS_KEY),
          config.get(ChassisKeys.CLUSTER_TLS_CA)) : null);
  }

  /**
   * When this member's event-bus certificate expires, or null without TLS. Read once, at the start (before any event
   * loop runs), as Vert.x reads the certificate: a renewed file takes effect at the next start, so the members must
   * be restarted before this instant ({@code surge_cluster_tls_certificate_expiry_timestamp_seconds}).
   */
  public static Instant certificateExpiry(ClusterOptions cluster) {
    return cluster.tls() == null ? null : ClusterTlsFiles.notAfter(cluster.tls().cert());
  }

  /**
   * One TLS handshake on loopback with the event bus's own options, between a server and a client made for it and
   * closed after: on a fresh JVM the first handshake takes a second and more (the JSSE provider, the key's curve, the
   * handshake's code not yet compiled), and the first event-bus requests after a start waited on it, orders'
   * reservations past their timeout (64 of the first 64 in {@code bench/rss.sh}). Done while the service is not yet
   * ready; never fails the start (a handshake that fails here fails on the event bus too, and says so there).
   */
  public static Future<Void> warmTls(Vertx vertx, EventBusOptions bus) {
    if (!bus.isSsl()) {
      return Future.succeededFuture();
    }
    NetServer server = vertx.createNetServer(new NetServerOptions(bus.toJson()).setHost("127.0.0.1").setPort(0));
    NetClient client = vertx.createNetClient(new NetClientOptions(bus.toJson()).setHostnameVerificationAlgorithm(""));
    Promise<Void> warmed = Promise.promise();
    long started = System.nanoTime();
    server.connectHandler(NetSocket::close).listen()
      .compose(listening -> client.connect(listening.actualPort(), "127.0.0.1"))
      .compose(NetSocket::close)
      .onComplete(done -> {
        if (done.failed()) {
          LOG.debug("The event bus's TLS not warmed: {}", done.cause().toString());
        } else {
          LOG.debug("The event bus's TLS warmed in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
        warmed.tryComplete();
      });
    long timer = vertx.setTimer(WARM_TLS_TIMEOUT_MS, id -> warmed.tryComplete());
    return warmed.future().eventually(() -> {
      vertx.cancelTimer(timer);
      return Future.join(client.close(), server.close()).mapEmpty();
    });
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
    ClusterOptions.Tls tls = cluster.tls();
    if (tls != null) {
      // Both ways: a member's server asks every connection for a certificate the CA signed, and its client checks
      // the peer's the same way (Vert.x's client checks no host name: the members share the CA, not names).
      bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert()).setKeyPath(tls.key()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca()));
    }
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
