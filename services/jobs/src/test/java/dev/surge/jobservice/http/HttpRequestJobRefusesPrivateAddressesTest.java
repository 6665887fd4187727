package dev.surge.jobservice.http;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no allow-list, a job whose URL leads to a loopback, link-local or private address fails for good at its
 * first attempt (its default 20 attempts notwithstanding), and the connection is never made: the loopback test
 * servers, on the port each URL names, see none. The jobs go straight into the queue, past the API's check, as
 * a job stored before an upgrade or enqueued by code would.
 */
class HttpRequestJobRefusesPrivateAddressesTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final TestServer server = new TestServer();
  private static final TestServer ipv6Server = ipv6Server();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  @AfterAll
  static void stopServers() {
    server.close();
    if (ipv6Server != null) {
      ipv6Server.close();
    }
    JobRuns.deleteTree(DATA);
  }

  @Test
  void theLoopbackAddress() {
    assertRefused("http://127.0.0.1:" + server.port() + "/queues", "is refused: 127.0.0.1 is a loopback address; "
      + "http.request jobs may not reach loopback, link-local, private, unique-local, multicast, unspecified or "
      + "reserved addresses unless jobs.http.allowedHosts lists them");
  }

  @Test
  void localhost() {
    assertRefused("http://localhost:" + server.port() + "/", "localhost is a loopback name");
    assertRefused("http://LocalHost.:" + server.port() + "/", "localhost is a loopback name");
  }

  @Test
  void aNameThatResolvesToLoopback() {
    assertRefused("http://loopback.surge.test:" + server.port() + "/",
      "loopback.surge.test resolves to a loopback address");
  }

  @Test
  void ipv6LoopbackAndIpv4MappedLoopback() {
    int port = ipv6Server == null ? server.port() : ipv6Server.port();
    assertRefused("http://[::1]:" + port + "/", "is a loopback address");
    assertRefused("http://[::ffff:127.0.0.1]:" + server.port() + "/", "is a loopback address");
    assertRefused("http://[::ffff:7f00:1]:" + server.port() + "/", "is a loopback address");
    assertRefused("http://[::127.0.0.1]:" + server.port() + "/", "a loopback");
    assertRefused("http://[64:ff9b::7f00:1]:" + server.port() + "/", "a loopback IPv4 address inside an IPv6 one");
  }

  @Test
  void loopbackWrittenAsOneNumberOrInOctalOrHex() {
    assertRefused("http://2130706433:" + server.port() + "/", "not an IPv4 address in canonical form");
    assertRefused("http://0177.0.0.1:" + server.port() + "/", "not an IPv4 address in canonical form");
    assertRefused("http://0x7f.0.0.1:" + server.port() + "/", "must name a host");
    assertRefused("http://127.1:" + server.port() + "/", "must name a host");
  }

  @Test
  void theCloudMetadataAddressAndPrivateNetworks() {
    assertRefused("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address");
    assertRefused("http://metadata.surge.test/latest/meta-data/",
      "metadata.surge.test resolves to a link-local address");
    assertRefused("http://10.0.0.1/", "10.0.0.1 is a private network address");
    assertRefused("http://[fd00::1]/", "is a unique-local network address");
  }

  private static void assertRefused(String url, String why) {
    int connections = server.connections() + (ipv6Server == null ? 0 : ipv6Server.connections());
    Job job = JobRuns.run(service, new JobRequest("http.request", new JsonObject().put("url", url)));

    assertThat(job.state()).as(url).isEqualTo(JobState.DISCARDED);
    assertThat(job.attempt()).as("a refusal is not retried").isEqualTo(1);
    assertThat(job.maxAttempts()).isGreaterThan(1);
    assertThat(job.errors().getJsonObject(0).getString("error")).as(url).contains(why);
    assertThat(server.connections() + (ipv6Server == null ? 0 : ipv6Server.connections()))
      .as("connections made for " + url).isEqualTo(connections);
  }

  /** A server on [::1], where the machine has IPv6 loopback; null where it has not (nothing can connect there). */
  private static TestServer ipv6Server() {
    try {
      return new TestServer("::1", 0);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
