package dev.surge.testing;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.net.FreePorts;
import io.vertx.core.net.SelfSignedCertificate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration of members of one cluster on loopback, each its own Vert.x in the test's JVM as separate
 * containers would be: a cluster named after its first port, every member listed, event bus ports picked freely,
 * the event bus on mutual TLS with one certificate of the test run's own (its own CA, as a self-signed certificate
 * is), as every member of a deployment has one its CA signed.
 */
public final class LoopbackCluster {

  private static SelfSignedCertificate certificate;

  private final int[] ports;

  private LoopbackCluster(int members) {
    this.ports = new int[members];
    for (int i = 0; i < members; i++) {
      ports[i] = FreePorts.pick();
    }
  }

  /** A cluster of {@code members} members, their ports picked now. */
  public static LoopbackCluster of(int members) {
    return new LoopbackCluster(members);
  }

  /** Member {@code index}'s configuration, with {@code extra} (its service's own keys). */
  public Map<String, Object> member(int index, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put("cluster.enabled", true);
    config.put("cluster.name", "test-" + ports[0]);
    config.put("cluster.host", "127.0.0.1");
    config.put("cluster.port", ports[index]);
    config.put("cluster.eventBusPort", 0);
    config.put("cluster.members", Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    config.putAll(tls());
    return config;
  }

  /** The event bus's TLS keys, the test run's one member certificate (its own CA) in each. */
  public static synchronized Map<String, Object> tls() {
    if (certificate == null) {
      certificate = SelfSignedCertificate.create("surge-test-cluster");
    }
    return Map.of(ChassisKeys.CLUSTER_TLS_CERT.name(), certificate.certificatePath(),
      ChassisKeys.CLUSTER_TLS_KEY.name(), certificate.privateKeyPath(),
      ChassisKeys.CLUSTER_TLS_CA.name(), certificate.certificatePath());
  }

  /** {@link #tls()} as a process's environment variables. */
  public static Map<String, String> tlsEnvironment() {
    Map<String, String> environment = new HashMap<>();
    tls().forEach((key, value) -> environment.put(ConfigKey.envName(key), value.toString()));
    return environment;
  }
}
