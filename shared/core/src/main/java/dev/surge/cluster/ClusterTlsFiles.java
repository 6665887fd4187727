package dev.surge.cluster;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigException;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The event bus's certificate, key and CA read at the start as Vert.x will read them (PEM only; the key through
 * its own loader), and checked
 * as the peers will check them, so that a wrong file stops the start naming its key rather than the member joining
 * the cluster and then failing every handshake: each file PEM; the CA one or two certificates (the cluster's own,
 * or the old and the new while rolling onto a new one: not a bundle of public CAs, since any certificate the CA file
 * trusts is a member); the key the certificate's; the certificate signed by the CA and in date. No file's content is
 * ever shown, only keys and paths.
 */
final class ClusterTlsFiles {

  /** Certificates the CA file may hold: the cluster's CA, and a second one while members roll onto it. */
  static final int MAX_CAS = 2;
  private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

  private ClusterTlsFiles() {
  }

  static void check(SurgeConfig config) {
    byte[] cert = read(config, ChassisKeys.CLUSTER_TLS_CERT);
    byte[] key = read(config, ChassisKeys.CLUSTER_TLS_KEY);
    byte[] ca = read(config, ChassisKeys.CLUSTER_TLS_CA);
    List<X509Certificate> chain = certificates(config, ChassisKeys.CLUSTER_TLS_CERT, cert);
    List<X509Certificate> cas = certificates(config, ChassisKeys.CLUSTER_TLS_CA, ca);
    if (cas.size() > MAX_CAS) {
      throw new ConfigException(ChassisKeys.CLUSTER_TLS_CA.name() + ": " + config.get(ChassisKeys.CLUSTER_TLS_CA)
        + " holds " + cas.size() + " certificates: give the cluster a CA of its own (two while rolling onto a new "
        + "one), since every certificate a CA of this file signed is taken as a member");
    }
    PrivateKey privateKey;
    try {
      PemKeyCertOptions options = new PemKeyCertOptions().setKeyValue(Buffer.buffer(key))
        .setCertValue(Buffer.buffer(cert));
      KeyStore store = options.loadKeyStore(null);
      KeyManagerFactory factory = options.getKeyManagerFactory(null);
      privateKey = ((X509KeyManager) factory.getKeyManagers()[0]).getPrivateKey(Collections.list(store.aliases()).getFirst());
    } catch (Exception e) {
      throw new ConfigException(notPem(config, ChassisKeys.CLUSTER_TLS_KEY, "private key (PKCS#8, PKCS#1 RSA or EC)"));
    }
    if (privateKey == null || !signs(privateKey, chain.getFirst().getPublicKey())) {
      throw new ConfigException(ChassisKeys.CLUSTER_TLS_KEY.name() + ": " + config.get(ChassisKeys.CLUSTER_TLS_KEY)
        + " is not the key of the certificate in " + ChassisKeys.CLUSTER_TLS_CERT.name());
    }
    try {
      Set<TrustAnchor> anchors = new HashSet<>();
      cas.forEach(c -> anchors.add(new TrustAnchor(c, null)));
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    } catch (GeneralSecurityException e) {
      throw new ConfigException(ChassisKeys.CLUSTER_TLS_CERT.name() + ": " + config.get(ChassisKeys.CLUSTER_TLS_CERT)
        + " is not a certificate in date that a CA of " + ChassisKeys.CLUSTER_TLS_CA.name()
        + " signed, so no member would take it (" + e.getMessage() + ")");
    }
  }

  /** When the certificate in {@code certPath} (the first of its chain) stops being valid; checked at the start. */
  static java.time.Instant notAfter(String certPath) {
    try {
      byte[] pem = Files.readAllBytes(Path.of(certPath));
      return ((X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem))).getNotAfter().toInstant();
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(ChassisKeys.CLUSTER_TLS_CERT.name() + ": " + certPath + " could not be read again");
    }
  }

  private static byte[] read(SurgeConfig config, ConfigKey<String> key) {
    Path file = Path.of(config.get(key));
    try {
      return Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(key.name() + ": " + file + " is not a file this process can read");
    }
  }

  /** The PEM certificates of {@code pem} (Vert.x reads PEM only: DER, which the JDK would read too, is refused). */
  private static List<X509Certificate> certificates(SurgeConfig config, ConfigKey<String> key, byte[] pem) {
    List<X509Certificate> found = new ArrayList<>();
    if (new String(pem, StandardCharsets.ISO_8859_1).contains(PEM_CERTIFICATE)) {
      try {
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))
          .forEach(c -> found.add((X509Certificate) c));
      } catch (GeneralSecurityException e) {
        found.clear();
      }
    }
    if (found.isEmpty()) {
      throw new ConfigException(notPem(config, key, "X.509 certificate"));
    }
    return found;
  }

  /** Whether a signature made with {@code privateKey} verifies with {@code publicKey}: the key is the certificate's. */
  private static boolean signs(PrivateKey privateKey, PublicKey publicKey) {
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "EdDSA", "Ed25519", "Ed448" -> privateKey.getAlgorithm();
      default -> null;
    };
    if (algorithm == null) {
      return true; // a kind of key this cannot check: the handshake will
    }
    try {
      byte[] nonce = "surge-cluster-key-check".getBytes(StandardCharsets.US_ASCII);
      Signature signing = Signature.getInstance(algorithm);
      signing.initSign(privateKey);
      signing.update(nonce);
      byte[] signature = signing.sign();
      Signature verifying = Signature.getInstance(algorithm);
      verifying.initVerify(publicKey);
      verifying.update(nonce);
      return verifying.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String notPem(SurgeConfig config, ConfigKey<String> key, String what) {
    return key.name() + ": " + config.get(key) + " holds no " + what + " in PEM";
  }
}
