package dev.surge.bench.tfb;

import dev.surge.bench.BenchMain;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.surge.bench.tfb.TfbResponses.assertTfbHeaders;
import static dev.surge.bench.tfb.TfbResponses.assertWorld;
import static dev.surge.bench.tfb.TfbResponses.assertWorlds;
import static org.assertj.core.api.Assertions.assertThat;

/** Every concurrency model serves the same responses. */
class ConcurrencyModelsTest {

  @ParameterizedTest
  @ValueSource(strings = {"event-loop", "worker", "virtual-thread"})
  void eachModelServesEveryTestTypeAlike(String model) {
    try (TestService service = TestService.start(BenchMain.definition(), Map.of("bench.model", model))) {
      assertThat(service.get("/plaintext").bodyAsString()).isEqualTo("Hello, World!");
      assertThat(service.get("/json").bodyAsJsonObject()).isEqualTo(new JsonObject().put("message", "Hello, World!"));
      assertTfbHeaders(service.get("/db"), "application/json");
      assertWorld(service.get("/db").bodyAsJsonObject());
      assertWorlds(service.get("/queries?queries=5"), 5);
      assertWorlds(service.get("/updates?queries=5"), 5);
      assertWorlds(service.get("/cached-queries?count=5"), 5);
      var fortunes = service.get("/fortunes");
      assertTfbHeaders(fortunes, "text/html; charset=UTF-8");
      TfbResponses.assertFortunesPage(fortunes.bodyAsString());
      String metrics = service.get("/metrics").bodyAsString();
      assertThat(metrics).as("metrics stay on").contains("route=\"/db\"");
      double onWorkers = MetricsScrape.sum(metrics, "vertx_pool_completed_total", "pool_name=\"vert.x-worker-thread\"");
      double onVirtualThreads = MetricsScrape.sum(metrics, "vertx_pool_completed_total",
        "pool_name=\"vert.x-virtual-thread\"");
      // The requests above made at least one task each on their model's pool; start-up made one or two (migrations).
      assertThat(onWorkers >= 10).as("requests ran on worker threads: " + onWorkers).isEqualTo(model.equals("worker"));
      assertThat(onVirtualThreads >= 10).as("requests ran on virtual threads: " + onVirtualThreads)
        .isEqualTo(model.equals("virtual-thread"));
    }
  }
}
