package dev.surge.arbiter;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.LoadLoop;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /admin/restart} replaces every instance, one at a time, while clients keep sending. */
class RollingRestartUnderLoadDropsNoRequestTest {

  @Test
  void everyInstanceIsReplacedAndNoRequestFails() throws Exception {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 3,
           "admin.port", adminPort, "shutdown.grace", "10s", "log.access", "off"));
         Admin admin = new Admin(adminPort);
         LoadLoop load = LoadLoop.start(service.port(), "/echo/1", 32)) {
      load.awaitMore(500);
      List<String> before = admin.deployments("serving");

      for (int round = 0; round < 2; round++) {
        admin.restart();
        load.awaitMore(300);
      }

      List<String> after = admin.deployments("serving");
      load.close();
      assertThat(load.failures()).as("requests not answered 200").isEmpty();
      assertThat(load.reconnects()).as("clients were told to move (Connection: close) as instances left").isPositive();
      assertThat(after).hasSize(3).doesNotContainAnyElementsOf(before);
      assertThat(MetricsScrape.sum(Scrapes.metrics(service.port()), "surge_instance_restarts_total"))
        .isEqualTo(6.0);
    }
  }
}
