package dev.surge.lifecycle;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoProcess;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** gunicorn's signals, sent to a real process: TTIN adds an HTTP instance, TTOU removes one, HUP replaces them all. */
class InstanceSignalsTest {

  private final EchoProcess echo = new EchoProcess();
  private final int port = echo.port;
  private final int adminPort = FreePorts.pick();
  private final WebClient client = echo.client;
  private static final String IGNORED = "SIGHUP is ignored by this process";

  @AfterEach
  void tearDown() {
    echo.close();
  }

  @Test
  void ttinAddsTtouRemovesAndHupReplacesEveryInstance() throws Exception {
    ServiceProcess process = echo.start(Map.of("SURGE_ADMIN_PORT", String.valueOf(adminPort)));
    assertThat(serving()).hasSize(2);

    process.signal("TTIN");
    awaitServing(3);
    process.signal("TTIN");
    awaitServing(4);
    process.signal("TTOU");
    awaitServing(3);

    Assumptions.assumeFalse(hangupIgnoredHere(), "SIGHUP is ignored in this test run (Maven run under nohup?), and "
      + "so in the service it starts: the service cannot see it");
    List<String> before = serving();
    process.signal("HUP");
    for (int i = 0; i < 300 && serving().stream().anyMatch(before::contains); i++) {
      Thread.sleep(100);
    }
    assertThat(serving()).as("every instance replaced; output:\n%s", process.output()).doesNotContainAnyElementsOf(before);
    assertThat(serving()).hasSize(3);
    assertThat(process.alive()).as("HUP does not stop the JVM, as it would by default").isTrue();
    assertThat(await(client.get(port, "127.0.0.1", "/echo/1").send()).statusCode()).isEqualTo(200);
    assertThat(process.output()).contains("SIGTTIN received").contains("SIGTTOU received").contains("SIGHUP received");
  }

  @Test
  void aHangupIgnoredFromTheStartIsSaidAndChangesNothing() throws Exception {
    ServiceProcess process = echo.start(Map.of("SURGE_ADMIN_PORT", String.valueOf(adminPort)), List.of("nohup"));
    // Written once the signal handlers are in place, which is after the service is ready.
    for (int i = 0; i < 100 && !process.output().contains(IGNORED); i++) {
      Thread.sleep(100);
    }
    assertThat(process.output()).contains(IGNORED);
    List<String> before = serving();
    process.signal("HUP");
    process.signal("TTIN"); // handled after the HUP, had it been
    awaitServing(3);
    assertThat(serving()).as("the instances before the HUP").containsAll(before);
    assertThat(process.alive()).isTrue();
    assertThat(process.output()).doesNotContain("SIGHUP received");
  }

  /** Whether this JVM ignores SIGHUP (bit 0 of SigIgn in /proc/self/status), as the processes it starts then do. */
  private static boolean hangupIgnoredHere() throws java.io.IOException {
    return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
      .filter(line -> line.startsWith("SigIgn:"))
      .anyMatch(line -> (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 1) != 0);
  }

  private void awaitServing(int instances) {
    MetricsScrape.awaitAtLeast(() -> serving().size() == instances ? 1 : 0, instances + " instances serving", 1);
  }

  private List<String> serving() {
    return await(client.get(adminPort, "127.0.0.1", "/admin/instances").send()).bodyAsJsonObject()
      .getJsonArray("instances").stream().map(JsonObject.class::cast)
      .filter(i -> "serving".equals(i.getString("state"))).map(i -> i.getString("deploymentId")).toList();
  }
}
