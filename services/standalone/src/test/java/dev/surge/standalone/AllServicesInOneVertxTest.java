package dev.surge.standalone;

import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** The services of the all-in-one process, started as it starts them: the first hosts, the others join its Vert.x. */
class AllServicesInOneVertxTest {

  private static AllInOne platform;

  @BeforeAll
  static void start() throws Exception {
    platform = AllInOne.start();
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void anOrderPlacedThroughTheGatewayTakesCatalogStockAndTheJobsServiceExportsTheProducts() throws Exception {
    TestService catalog = platform.catalog;
    TestService jobs = platform.jobs;
    TestService gateway = platform.gateway;
    long product = catalog.postJson("/products", new JsonObject().put("sku", "ONE-VERTX").put("name", "Shared bus")
      .put("price", 500).put("currency", "EUR").put("stock", 4)).bodyAsJsonObject().getLong("id");
    var placed = gateway.send(HttpMethod.POST, "/api/orders/orders", MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json").add("Idempotency-Key", "together"),
      new JsonObject().put("customerId", "zoe").put("lines", new JsonArray()
        .add(new JsonObject().put("productId", product).put("quantity", 3))).encode());
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    assertThat(placed.getHeader("Location")).startsWith("/api/orders/orders/");
    assertThat(gateway.get("/api/catalog/products/" + product).bodyAsJsonObject().getInteger("stock")).isEqualTo(1);

    long job = jobs.postJson("/jobs", new JsonObject().put("type", "report.export")
      .put("args", new JsonObject().put("report", "products"))).bodyAsJsonObject().getLong("id");
    JsonObject done = null;
    for (int i = 0; i < 400 && (done == null || !done.getString("state").equals("completed")); i++) {
      Thread.sleep(25);
      done = jobs.get("/jobs/" + job).bodyAsJsonObject();
    }
    assertThat(done.getString("state")).as(done.encode()).isEqualTo("completed");
    assertThat(done.getJsonObject("result").getInteger("rows")).isEqualTo(1);
  }
}
