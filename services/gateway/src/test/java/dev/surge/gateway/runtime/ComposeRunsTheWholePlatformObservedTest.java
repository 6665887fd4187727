package dev.surge.gateway.runtime;

import dev.surge.catalog.CatalogMain;
import dev.surge.gateway.GatewayMain;
import dev.surge.testing.ComposeFile;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose file, the Prometheus configuration and the Grafana dashboard, read as Docker, Prometheus and Grafana
 * would (no Docker engine runs the tests): every service is there on a pinned image, Prometheus scrapes every
 * replica at its real port, and every metric the dashboard plots is one the services export.
 */
class ComposeRunsTheWholePlatformObservedTest {

  private static final Path ROOT = Path.of("..", "..");

  @Test
  @SuppressWarnings("unchecked")
  void everyServiceRunsOnAPinnedImageAndPrometheusScrapesEveryReplica() throws Exception {
    Map<String, Map<String, Object>> services = ComposeFile.read().services();
    assertThat(services).containsKeys("postgres", "redis", "gateway", "catalog", "catalog-2", "orders", "jobs",
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
    Set<String> surgeServices = new HashSet<>();
    services.forEach((name, service) -> {
      Map<String, Object> environment = (Map<String, Object>) service.get("environment");
      if (environment != null && environment.containsKey("SURGE_HTTP_PORT")) {
        surgeServices.add(name + ":" + environment.get("SURGE_HTTP_PORT"));
      }
    });
    assertThat(targets).as("every replica, at its HTTP port, and nothing else").isEqualTo(surgeServices);
    assertThat(services.get("prometheus").get("volumes").toString()).contains("./ops/prometheus/prometheus.yml:");
    assertThat(services.get("grafana").get("volumes").toString()).contains("./ops/grafana/provisioning:")
      .contains("./ops/grafana/dashboards:");
    Map<String, Object> datasources = new Yaml().load(Files.readString(
      ROOT.resolve("ops/grafana/provisioning/datasources/prometheus.yml")));
    assertThat(datasources.toString()).contains("url=http://prometheus:9090");
    assertThat(services.get("prometheus").get("ports").toString()).contains("127.0.0.1:9090:9090");
  }

  @Test
  void everyMetricTheDashboardPlotsIsOneTheServicesExport() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(ROOT.resolve("ops/grafana/dashboards/surge.json")));
    JsonArray panels = dashboard.getJsonArray("panels");
    assertThat(panels).hasSizeGreaterThanOrEqualTo(8);
    Set<String> plotted = new HashSet<>();
    Matcher metric = Pattern.compile("\\b((?:vertx|surge|process)_[a-z_]+)").matcher("");
    for (Object p : panels) {
      for (Object t : ((JsonObject) p).getJsonArray("targets")) {
        metric.reset(((JsonObject) t).getString("expr"));
        while (metric.find()) {
          plotted.add(metric.group(1));
        }
      }
    }
    String titles = panels.stream().map(p -> ((JsonObject) p).getString("title")).toList().toString();
    assertThat(titles).contains("Requests per second").contains("Error rate").contains("p99 latency")
      .contains("In flight and shed").contains("worker pools").contains("PostgreSQL and Redis pools")
      .contains("Event-bus traffic").contains("Jobs by state");

    try (TestService catalog = TestService.start(CatalogMain.definition());
         TestService gateway = TestService.start(GatewayMain.definition(), Map.of(
           "gateway.upstreams.catalog", "127.0.0.1:" + catalog.port(), "gateway.upstreams.orders", "",
           "gateway.upstreams.jobs", ""))) {
      gateway.get("/api/catalog/products/1");
      String scraped = catalog.get("/metrics").bodyAsString() + gateway.get("/metrics").bodyAsString();
      String readme = Files.readString(ROOT.resolve("README.md"));
      for (String name : plotted) {
        if (name.startsWith("surge_jobs_")) { // exported by job queue nodes only
          assertThat(readme).as(name).contains(name.replaceAll("_(bucket|count|sum|total)$", ""));
        } else {
          assertThat(scraped).as(name + " is exported").contains(name);
        }
      }
    }
  }
}
