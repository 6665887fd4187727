package dev.surge.jobservice.jobs;

import dev.surge.jobservice.JobRuns;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams that come through a trusted proxy (the gateway, 127.0.0.3 here) are counted for the client it names in
 * X-Forwarded-For, so one client behind the gateway cannot take every other's streams; from any other peer the
 * header is ignored, so a client cannot dodge its cap by naming others. With no proxy configured, one on 127.0.0.1
 * is believed: the all-in-one's gateway reaches the service from there.
 */
class EventStreamsBehindTheGatewayAreCountedPerClientTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.events.maxStreamsPerClient", "1",
    "jobs.events.maxStreams", "10", "jobs.events.trustedProxies", "127.0.0.3/32"));
  private static final StreamClients clients = new StreamClients(service);

  private static final Path UNCONFIGURED_DATA = JobRuns.newDataDir();
  @RegisterExtension
  static final TestService unconfigured = JobRuns.perClass(UNCONFIGURED_DATA,
    Map.of("jobs.events.maxStreamsPerClient", "1", "jobs.events.maxStreams", "10"));
  private static final StreamClients unconfiguredClients = new StreamClients(unconfigured);

  @AfterAll
  static void stop() {
    clients.close();
    unconfiguredClients.close();
    JobRuns.deleteTree(DATA);
    JobRuns.deleteTree(UNCONFIGURED_DATA);
  }

  @Test
  void clientsBehindATrustedProxyAreCountedApart() {
    long id = clients.scheduledJob();
    assertThat(clients.open("127.0.0.3", id, "203.0.113.1").response().statusCode()).isEqualTo(200);
    assertThat(clients.open("127.0.0.3", id, "203.0.113.2").response().statusCode()).as("another client")
      .isEqualTo(200);
    assertThat(clients.open("127.0.0.3", id, "203.0.113.1").response().statusCode()).as("the first one's second")
      .isEqualTo(429);
  }

  @Test
  void fromAnyOtherPeerTheHeaderIsIgnored() {
    long id = clients.scheduledJob();
    assertThat(clients.open("127.0.0.4", id, "203.0.113.3").response().statusCode()).isEqualTo(200);
    assertThat(clients.open("127.0.0.4", id, "203.0.113.4").response().statusCode()).as("the same peer")
      .isEqualTo(429);
  }

  @Test
  void withNoneConfiguredAProxyOn127001IsBelieved() {
    long id = unconfiguredClients.scheduledJob();
    assertThat(unconfiguredClients.open("127.0.0.1", id, "203.0.113.5").response().statusCode()).isEqualTo(200);
    assertThat(unconfiguredClients.open("127.0.0.1", id, "203.0.113.6").response().statusCode()).as("another client")
      .isEqualTo(200);
    assertThat(unconfiguredClients.open("127.0.0.4", id, "203.0.113.7").response().statusCode()).isEqualTo(200);
    assertThat(unconfiguredClients.open("127.0.0.4", id, "203.0.113.8").response().statusCode())
      .as("another loopback address is no proxy").isEqualTo(429);
  }
}
