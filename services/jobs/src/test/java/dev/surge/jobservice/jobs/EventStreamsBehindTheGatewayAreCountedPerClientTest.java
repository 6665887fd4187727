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
 * header is ignored, so a client cannot dodge its cap by naming others.
 */
class EventStreamsBehindTheGatewayAreCountedPerClientTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.events.maxStreamsPerClient", "1",
    "jobs.events.maxStreams", "10", "jobs.events.trustedProxies", "127.0.0.3/32"));
  private static final StreamClients clients = new StreamClients(service);

  @AfterAll
  static void stop() {
    clients.close();
    JobRuns.deleteTree(DATA);
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
}
