package dev.surge.gateway;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway in front of a real catalog process: paths, links, request ids and unknown APIs. */
class RoutesEachApiToItsServiceTest {

  private static TestService catalog;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    catalog = TestService.start(CatalogMain.definition());
    gateway = TestService.start(GatewayMain.definition(), Map.of(
      "gateway.upstreams.catalog", "127.0.0.1:" + catalog.port(),
      "gateway.upstreams.orders", "", "gateway.upstreams.jobs", ""));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    catalog.close();
  }

  @Test
  void theServicePrefixIsStrippedOnTheWayInAndPutBackOnTheLinksOnTheWayOut() {
    var created = gateway.postJson("/api/catalog/products", new JsonObject().put("sku", "GW-1").put("name", "Routed")
      .put("price", 100).put("currency", "EUR").put("stock", 3));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");
    assertThat(created.getHeader("Location")).isEqualTo("/api/catalog/products/" + id);

    var read = gateway.get("/api/catalog/products/" + id);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getString("sku")).isEqualTo("GW-1");
    assertThat(catalog.get("/products/" + id).bodyAsJsonObject().getString("sku")).isEqualTo("GW-1");

    gateway.postJson("/api/catalog/products", new JsonObject().put("sku", "GW-2").put("name", "Routed")
      .put("price", 100).put("currency", "EUR").put("stock", 3));
    var page = gateway.get("/api/catalog/products?limit=1");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Link")).startsWith("</api/catalog/products?");
    String next = page.bodyAsJsonObject().getString("next");
    assertThat(next).startsWith("/api/catalog/products?");
    var second = gateway.get(next);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getJsonArray("items")).hasSize(1);

    String metrics = gateway.get("/metrics").bodyAsString();
    assertThat(metrics).containsPattern("surge_gateway_requests_seconds_count\\{[^}]*replica=\"127.0.0.1:"
      + catalog.port() + "\"[^}]*status=\"2xx\"[^}]*upstream=\"catalog\"");
    assertThat(metrics).contains("surge_gateway_replica_available{");
  }

  @Test
  void oneRequestIdFollowsTheRequestThroughGatewayAndService() {
    var read = gateway.get("/api/catalog/products/999999",
      MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "trace-me-42"));
    JsonObject problem = Problems.assertProblem(read, 404, "not-found");
    assertThat(problem.getString("requestId")).as("the catalog saw the gateway's id").isEqualTo("trace-me-42");
    assertThat(read.headers().getAll("X-Request-Id")).containsExactly("trace-me-42");
  }

  @Test
  void anApiTheGatewayDoesNotServeIsA404Problem() {
    Problems.assertProblem(gateway.get("/api/nothing/here"), 404, "not-found");
    Problems.assertProblem(gateway.get("/api/orders/orders"), 404, "not-found");
    var unrouted = gateway.send(HttpMethod.GET, "/products", MultiMap.caseInsensitiveMultiMap(), null);
    assertThat(unrouted.statusCode()).isEqualTo(404);
  }
}
