package dev.surge.standalone;

import dev.surge.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the all-in-one process the four services share one Vert.x, yet a dashboard tells them apart: each
 * service's /metrics shows its own HTTP server's meters and its own, tagged with its own name.
 */
class EachServiceTagsItsOwnMetricsTest {

  private static final Pattern SERVICE = Pattern.compile("service=\"([^\"]*)\"");
  private static final Map<String, TestService> services = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    var definitions = StandaloneMain.services();
    TestService catalog = TestService.start(definitions.get(0));
    services.put("catalog", catalog);
    services.put("jobs", TestService.beside(catalog, definitions.get(1), Map.of(
      "jobs.dataDir", Files.createTempDirectory("surge-standalone").toString())));
    services.put("orders", TestService.beside(catalog, definitions.get(2), Map.of()));
    services.put("gateway", TestService.beside(catalog, definitions.get(3), Map.of(
      "gateway.upstreams.catalog", "127.0.0.1:" + catalog.port(),
      "gateway.upstreams.orders", "127.0.0.1:" + services.get("orders").port(),
      "gateway.upstreams.jobs", "127.0.0.1:" + services.get("jobs").port())));
  }

  @AfterAll
  static void stop() {
    services.values().stream().toList().reversed().forEach(TestService::close);
  }

  @Test
  void eachServicesHttpServerMetersCarryItsOwnName() {
    services.values().forEach(service -> assertThat(service.get("/health/live").statusCode()).isEqualTo(200));
    services.forEach((name, service) -> {
      String scrape = service.get("/metrics").bodyAsString();
      List<String> requests = lines(scrape, "vertx_http_server_requests_total{");
      assertThat(requests).as("%s: its HTTP server's requests", name).isNotEmpty()
        .allSatisfy(line -> assertThat(serviceOf(line)).as(line).isEqualTo(name))
        .anySatisfy(line -> assertThat(line).contains("route=\"/health/live\""));
      assertThat(lines(scrape, "vertx_http_server_response_time_seconds_count{"))
        .as("%s: its HTTP server's latency", name).isNotEmpty()
        .allSatisfy(line -> assertThat(serviceOf(line)).as(line).isEqualTo(name));
      assertThat(lines(scrape, "surge_http_inflight")).as("%s: its own in-flight gauge", name).isNotEmpty()
        .allSatisfy(line -> assertThat(serviceOf(line)).as(line).isEqualTo(name));
    });
  }

  private static List<String> lines(String scrape, String prefix) {
    return scrape.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  private static String serviceOf(String line) {
    Matcher m = SERVICE.matcher(line);
    return m.find() ? m.group(1) : null;
  }
}
