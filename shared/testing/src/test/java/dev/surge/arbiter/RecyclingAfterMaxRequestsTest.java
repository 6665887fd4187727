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

/** {@code http.maxRequests}: an instance that served its share is replaced by a fresh one, drained first. */
class RecyclingAfterMaxRequestsTest {

  @Test
  void anInstanceIsReplacedAfterItsMaximumOfRequestsWithNoRequestFailing() throws Exception {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 2,
           "http.maxRequests", 300, "http.maxRequestsJitter", 100, "admin.port", adminPort, "log.access", "off"));
         Admin admin = new Admin(adminPort)) {
      List<String> first = admin.deployments("serving");
      LoadLoop load = LoadLoop.start(service.port(), "/echo/1", 16);
      MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(Scrapes.metrics(service.port()),
        "surge_instance_recycles_total"), "recycles", 4);
      load.close();

      assertThat(load.failures()).as("requests not answered 200").isEmpty();
      double recycles = MetricsScrape.sum(Scrapes.metrics(service.port()), "surge_instance_recycles_total");
      assertThat(load.succeeded()).as("none recycled before its 300 requests").isGreaterThanOrEqualTo(
        (long) (300 * recycles));
      assertThat(admin.deployments("serving")).hasSize(2).doesNotContainAnyElementsOf(first);
    }
  }

  @Test
  void withoutMaxRequestsInstancesAreNeverRecycled() throws Exception {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 1,
           "admin.port", adminPort, "log.access", "off"));
         Admin admin = new Admin(adminPort)) {
      List<String> first = admin.deployments("serving");
      LoadLoop load = LoadLoop.start(service.port(), "/echo/1", 8);
      load.awaitMore(1000);
      load.close();
      assertThat(admin.deployments("serving")).isEqualTo(first);
      assertThat(MetricsScrape.sum(Scrapes.metrics(service.port()), "surge_instance_recycles_total")).isZero();
    }
  }
}
