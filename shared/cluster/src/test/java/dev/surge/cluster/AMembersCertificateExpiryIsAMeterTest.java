package dev.surge.cluster;

import dev.surge.testing.EchoService;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event bus's certificate is read at the start only, so a member whose certificate expires keeps running and is
 * refused by the others from then on: {@code surge_cluster_tls_certificate_expiry_timestamp_seconds} says when, for
 * an alert to ask for a renewal and a restart before.
 */
class AMembersCertificateExpiryIsAMeterTest {

  private static final Pattern EXPIRY = Pattern.compile(
    "(?m)^surge_cluster_tls_certificate_expiry_timestamp_seconds(?:\\{[^}]*})? ([0-9.E]+)$");

  @Test
  void theMeterIsTheCertificatesNotAfter() throws Exception {
    String certificate = LoopbackCluster.tls().get("cluster.tls.cert").toString();
    long notAfter = ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
      new ByteArrayInputStream(Files.readAllBytes(Path.of(certificate))))).getNotAfter().toInstant().getEpochSecond();
    try (TestService member = TestService.start(EchoService.definition(), LoopbackCluster.of(1).member(0, Map.of()))) {
      Matcher meter = EXPIRY.matcher(member.get("/metrics").bodyAsString());
      assertThat(meter.find()).as("the meter is scraped").isTrue();
      assertThat((long) Double.parseDouble(meter.group(1))).isEqualTo(notAfter);
    }
  }
}
