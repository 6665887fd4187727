package dev.surge.cluster;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigException;
import dev.surge.config.SurgeConfig;
import dev.surge.testing.EchoService;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.ServiceProcess;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The clustered event bus is never sent in the clear by accident: a service told to cluster without its certificate,
 * key and CA stops at its start (exit code 2) naming what to set, as does one given files it cannot use; one told
 * both to send in the clear and given a certificate is refused too, as that file would look like a protection that
 * is not there. Messages name the keys and the paths, never a file's content.
 */
class AClusteredServiceWithoutItsCertificateStopsAtItsStartTest {

  @Test
  void clusteringWithoutTheTlsFilesExitsWithCode2NamingThemAndTheWayToRunInTheClear() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_CLUSTER_ENABLED", "true",
      "SURGE_CLUSTER_TLS_CA", LoopbackCluster.tls().get("cluster.tls.ca").toString()))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("surge: invalid configuration: the clustered event bus runs on mutual TLS: set "
          + "cluster.tls.cert, cluster.tls.key (SURGE_CLUSTER_TLS_CERT, SURGE_CLUSTER_TLS_KEY)")
        .contains("SURGE_CLUSTER_TLS_ENABLED=false");
    }
  }

  @Test
  void aFileThatIsNotThereOrIsADirectoryIsRefusedByItsKey(@TempDir Path dir) {
    assertThatThrownBy(() -> Clustering.validate(config(Map.of("cluster.tls.key", dir.resolve("absent.pem").toString()))))
      .isInstanceOf(ConfigException.class)
      .hasMessage("cluster.tls.key: " + dir.resolve("absent.pem") + " is not a file this process can read");
    assertThatThrownBy(() -> Clustering.validate(config(Map.of("cluster.tls.ca", dir.toString()))))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("cluster.tls.ca: " + dir + " is not a file");
  }

  @Test
  void aCertificateGivenWithTheBusInTheClearIsRefused() {
    Map<String, Object> clear = new HashMap<>(Map.of("cluster.tls.enabled", false));
    assertThatThrownBy(() -> Clustering.validate(config(clear))).isInstanceOf(ConfigException.class)
      .hasMessage("cluster.tls.cert, cluster.tls.key, cluster.tls.ca set but cluster.tls.enabled is false, which sends "
        + "the event bus in the clear: unset cluster.tls.cert, cluster.tls.key, cluster.tls.ca, or set "
        + "cluster.tls.enabled to true");
  }

  @Test
  void aFileThatIsNotPemIsRefusedByItsKeyWithoutShowingItsContent(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("wrong.pem"), "hunter2, not PEM");
    for (String key : List.of("cluster.tls.cert", "cluster.tls.key", "cluster.tls.ca")) {
      assertThatThrownBy(() -> Clustering.validate(config(Map.of(key, text.toString()))))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith(key + ": " + text + " holds no ")
        .hasMessageEndingWith(" in PEM").message().doesNotContain("hunter2");
    }
    String certificate = LoopbackCluster.tls().get("cluster.tls.cert").toString();
    assertThatThrownBy(() -> Clustering.validate(config(Map.of("cluster.tls.key", certificate))))
      .as("a certificate given as the key").hasMessage("cluster.tls.key: " + certificate + " holds no private key "
        + "(PKCS#8, PKCS#1 RSA or EC) in PEM");
  }

  @Test
  void aCaInDerRatherThanPemIsRefusedByItsKey(@TempDir Path dir) throws Exception {
    String pem = Files.readString(Path.of(LoopbackCluster.tls().get("cluster.tls.ca").toString()));
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    Path file = Files.write(dir.resolve("ca.der"), der);
    assertThatThrownBy(() -> Clustering.validate(config(Map.of("cluster.tls.ca", file.toString()))))
      .hasMessage("cluster.tls.ca: " + file + " holds no X.509 certificate in PEM");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    SelfSignedCertificate other = SelfSignedCertificate.create("another");
    try {
      assertThatThrownBy(() -> Clustering.validate(config(Map.of("cluster.tls.key", other.privateKeyPath()))))
        .hasMessage("cluster.tls.key: " + other.privateKeyPath() + " is not the key of the certificate in "
          + "cluster.tls.cert");
    } finally {
      other.delete();
    }
  }

  @Test
  void aCertificateTheCaDidNotSignIsRefused() {
    SelfSignedCertificate other = SelfSignedCertificate.create("another");
    try {
      assertThatThrownBy(() -> Clustering.validate(config(Map.of("cluster.tls.ca", other.certificatePath()))))
        .hasMessageStartingWith("cluster.tls.cert: " + LoopbackCluster.tls().get("cluster.tls.cert")
          + " is not a certificate in date that a CA of cluster.tls.ca signed, so no member would take it");
    } finally {
      other.delete();
    }
  }

  @Test
  void aCaFileOfMoreThanTwoCertificatesIsRefused(@TempDir Path dir) throws Exception {
    String ours = Files.readString(Path.of(LoopbackCluster.tls().get("cluster.tls.ca").toString()));
    List<SelfSignedCertificate> others = List.of(SelfSignedCertificate.create("a"), SelfSignedCertificate.create("b"));
    try {
      StringBuilder bundle = new StringBuilder(ours);
      for (SelfSignedCertificate other : others) {
        bundle.append('\n').append(Files.readString(Path.of(other.certificatePath())));
      }
      Path file = Files.writeString(dir.resolve("bundle.pem"), bundle);
      assertThatThrownBy(() -> Clustering.validate(config(Map.of("cluster.tls.ca", file.toString()))))
        .hasMessageStartingWith("cluster.tls.ca: " + file + " holds 3 certificates: give the cluster a CA of its own");
      Path two = Files.writeString(dir.resolve("two.pem"), ours + "\n" + Files.readString(Path.of(others.getFirst()
        .certificatePath())));
      Clustering.validate(config(Map.of("cluster.tls.ca", two.toString()))); // rolling onto a new CA: taken
    } finally {
      others.forEach(SelfSignedCertificate::delete);
    }
  }

  @Test
  void theTestRunsFilesAreTaken() {
    Clustering.validate(config(Map.of()));
  }

  /** The test run's files, but for {@code overrides}. */
  private static SurgeConfig config(Map<String, Object> overrides) {
    Map<String, Object> keys = new HashMap<>(LoopbackCluster.tls());
    keys.put("cluster.enabled", true);
    keys.putAll(overrides);
    return SurgeConfig.of(ChassisKeys.all(), keys);
  }
}
