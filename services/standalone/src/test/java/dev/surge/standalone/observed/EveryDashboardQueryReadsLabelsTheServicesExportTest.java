package dev.surge.standalone.observed;

import dev.surge.standalone.AllInOne;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query of every Grafana dashboard reads metrics the services export, with the labels it groups by, matches
 * on and names in its legend, checked against a live scrape of every service after an order through the gateway
 * and a job: a panel grouping by a label no series carries draws one line that means nothing, and nobody notices.
 * {@code service} is the services' own tag; {@code job} and {@code instance} (and any label
 * ops/prometheus/prometheus.yml gives its targets) are Prometheus's.
 */
class EveryDashboardQueryReadsLabelsTheServicesExportTest {

  private static final Path ROOT = Path.of("..", "..");

  @Test
  void everyMetricAndLabelOfEveryPanelIsInTheScrape() throws Exception {
    List<DashboardQuery> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
    PrometheusScrape scrape;
    try (AllInOne platform = AllInOne.start()) {
      placeAnOrderAndRunAJob(platform);
      scrape = PrometheusScrape.of(Stream.of(platform.catalog, platform.jobs, platform.orders, platform.gateway)
        .map(service -> service.get("/metrics").bodyAsString()).toList(), prometheusTargetLabels());
    }

    List<String> wrong = new ArrayList<>();
    for (DashboardQuery query : queries) {
      assertThat(query.metrics()).as(query.expr()).isNotEmpty();
      if (!query.groupedBy().isEmpty() && !query.groupedBy().containsAll(query.legendLabels())) {
        wrong.add(query.expr() + ": its legend names " + query.legendLabels() + ", it keeps " + query.groupedBy());
      }
      for (String metric : query.metrics()) {
        if (!scrape.has(metric)) {
          wrong.add(query.expr() + ": no series " + metric);
          continue;
        }
        for (String label : query.labelsOf(metric)) {
          List<Map<String, String>> without = scrape.without(metric, label);
          if (!without.isEmpty()) {
            wrong.add(query.expr() + ": " + metric + " without " + label + ", such as " + without.getFirst());
          }
        }
      }
    }
    assertThat(wrong).as("queries reading what no service exports").isEmpty();
  }

  private static void placeAnOrderAndRunAJob(AllInOne platform) throws InterruptedException {
    long product = platform.catalog.postJson("/products", new JsonObject().put("sku", "DASHBOARD-1")
      .put("name", "Plotted").put("price", 100).put("currency", "EUR").put("stock", 5))
      .bodyAsJsonObject().getLong("id");
    var placed = platform.gateway.send(HttpMethod.POST, "/api/orders/orders", MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json").add("Idempotency-Key", "dashboard"),
      new JsonObject().put("customerId", "ann").put("lines", new JsonArray()
        .add(new JsonObject().put("productId", product).put("quantity", 1))).encode());
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    long job = platform.jobs.postJson("/jobs", new JsonObject().put("type", "report.export")
      .put("args", new JsonObject().put("report", "products"))).bodyAsJsonObject().getLong("id");
    String state = "";
    for (int i = 0; i < 400 && !state.equals("completed"); i++) {
      Thread.sleep(25);
      state = platform.jobs.get("/jobs/" + job).bodyAsJsonObject().getString("state");
    }
    assertThat(state).isEqualTo("completed");
  }

  private static List<DashboardQuery> dashboardQueries() throws Exception {
    List<DashboardQuery> queries = new ArrayList<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("ops/grafana/dashboards"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        for (Object panel : new JsonObject(Files.readString(file)).getJsonArray("panels")) {
          JsonArray targets = ((JsonObject) panel).getJsonArray("targets", new JsonArray());
          for (Object target : targets) {
            JsonObject t = (JsonObject) target;
            queries.add(DashboardQuery.parse(t.getString("expr"), t.getString("legendFormat")));
          }
        }
      }
    }
    return queries;
  }

  /** {@code job} and {@code instance}, and every label prometheus.yml gives its targets. */
  @SuppressWarnings("unchecked")
  private static List<String> prometheusTargetLabels() throws Exception {
    Map<String, Object> prometheus = new Yaml().load(Files.readString(ROOT.resolve("ops/prometheus/prometheus.yml")));
    List<String> labels = new ArrayList<>(List.of("job", "instance"));
    for (Object job : (List<Object>) prometheus.get("scrape_configs")) {
      Map<String, Object> config = (Map<String, Object>) job;
      for (Object targets : (List<Object>) config.getOrDefault("static_configs", List.of())) {
        labels.addAll(((Map<String, Object>) ((Map<String, Object>) targets).getOrDefault("labels", Map.of()))
          .keySet());
      }
      for (Object relabel : (List<Object>) config.getOrDefault("relabel_configs", List.of())) {
        Object target = ((Map<String, Object>) relabel).get("target_label");
        if (target != null) {
          labels.add(target.toString());
        }
      }
    }
    return labels;
  }
}
