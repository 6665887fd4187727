package dev.surge.gateway.runtime;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose file, the Prometheus configuration and the Grafana dashboard, read as Docker, Prometheus and Grafana
 * would (no Docker engine runs the tests): every service is there on a pinned image, Prometheus scrapes every
 * replica at its real port, and the dashboard has a panel for each concern. Its queries are checked against a live
 * scrape of every service in the all-in-one module (EveryDashboardQueryReadsLabelsTheServicesExportTest).
 */
class ComposeRunsTheWholePlatformObservedTest {

  private static final Path ROOT = Path.of("..", "..");

  @Test
  @SuppressWarnings("unchecked")
  void everyServiceRunsOnAPinnedImageAndPrometheusScrapesEveryReplica() throws Exception {
    Map<String, Map<String, Object>> services = ComposeFile.read().services();
    assertThat(services).containsKeys("postgres", "redis", "gateway", "gateway-2", "edge", "catalog", "catalog-2", "orders", "orders-2", "jobs", "jobs-2",
      "prometheus", "grafana");
    services.forEach((name, service) -> {
      String image = (String) service.get("image");
      if (service.containsKey("build")) { // built here, from its Dockerfile
        assertThat(image).as(name).startsWith("surge/");
      } else {
        assertThat(image).as(name + " image is pinned").matches("[a-z0-9./-]+:[0-9v][\\w.-]*").doesNotContain("latest");
      }
    });

    Map<String, Object> prometheus = new Yaml().load(Files.readString(ROOT.resolve("ops/prometheus/prometheus.yml")));
    Set<String> targets = new HashSet<>();
    for (Object job : (List<Object>) prometheus.get("scrape_configs")) {
      for (Object config : (List<Object>) ((Map<String, Object>) job).get("static_configs")) {
        targets.addAll((List<String>) ((Map<String, Object>) config).get("targets"));
      }
    }
    Set<String> surgeServices = ComposeFile.read().surgeServices().stream().filter(ComposeService::startedByDefault)
      .map(s -> s.name() + ":" + s.httpPort()).collect(Collectors.toSet());
    assertThat(targets).as("every replica compose starts, at its HTTP port, and nothing else").isEqualTo(surgeServices);
    assertThat(services.get("prometheus").get("volumes").toString()).contains("./ops/prometheus/prometheus.yml:");
    assertThat(services.get("grafana").get("volumes").toString()).contains("./ops/grafana/provisioning:")
      .contains("./ops/grafana/dashboards:");
    Map<String, Object> datasources = new Yaml().load(Files.readString(
      ROOT.resolve("ops/grafana/provisioning/datasources/prometheus.yml")));
    assertThat(datasources.toString()).contains("url=http://prometheus:9090");
    assertThat(services.get("prometheus").get("ports").toString()).contains("127.0.0.1:9090:9090");
  }

  @Test
  void theDashboardHasAPanelForEachConcern() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(ROOT.resolve("ops/grafana/dashboards/surge.json")));
    String titles = dashboard.getJsonArray("panels").stream().map(p -> ((JsonObject) p).getString("title")).toList()
      .toString();
    assertThat(titles).contains("Requests per second").contains("Error rate").contains("p99 latency")
      .contains("In flight and shed").contains("worker pools").contains("PostgreSQL and Redis pools")
      .contains("Event-bus traffic").contains("Jobs by state");
  }
}
