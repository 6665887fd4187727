package dev.surge.gateway.docs;

import dev.surge.catalog.CatalogMain;
import dev.surge.gateway.GatewayMain;
import dev.surge.net.FreePorts;
import dev.surge.testing.ContractCheck;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's {@code /openapi.json} holds each service's operations under its {@code /api/<service>} prefix, as
 * the gateway serves them (the key they need, the gateway's own answers), asked of the service's replicas; a
 * service that cannot be asked is named, not left out silently; and the whole is a valid OpenAPI 3.1 document.
 */
class TheGatewayServesEveryApiInOneContractTest {

  private static TestService catalog;
  private static TestService gateway;

  @BeforeAll
  static void start() {
    catalog = TestService.start(CatalogMain.definition());
    gateway = TestService.start(GatewayMain.definition(), Map.of(
      "gateway.upstreams.catalog", "127.0.0.1:" + catalog.port(),
      "gateway.upstreams.orders", "127.0.0.1:" + FreePorts.pick(), // nothing listens there
      "gateway.upstreams.jobs", ""));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    catalog.close();
  }

  @Test
  void eachServicesOperationsAreThereUnderItsPrefix() {
    JsonObject document = gateway.get("/openapi.json").bodyAsJsonObject();
    JsonObject paths = document.getJsonObject("paths");

    assertThat(paths.fieldNames()).contains("/api/catalog/products", "/api/catalog/products/{id}", "/docs",
      "/openapi.json", "/health/ready");
    assertThat(paths.fieldNames()).as("the services' probes and metrics are not part of their APIs")
      .doesNotContain("/api/catalog/metrics", "/api/catalog/health/ready", "/products");
    JsonObject create = paths.getJsonObject("/api/catalog/products").getJsonObject("post");
    assertThat(create.getString("operationId")).isEqualTo("catalogCreateProduct");
    assertThat(create.getJsonArray("tags").getList()).containsExactly("catalog");
    assertThat(create.getJsonArray("security").encode()).isEqualTo("[{\"apiKey\":[]}]");
    assertThat(create.getJsonObject("responses").fieldNames()).contains("201", "401", "429", "502", "504");
    JsonObject read = paths.getJsonObject("/api/catalog/products/{id}").getJsonObject("get");
    assertThat(read.getJsonArray("security").encode()).as("a key is optional on reads").isEqualTo("[{},{\"apiKey\":[]}]");
    assertThat(document.getJsonObject("components").getJsonObject("schemas").fieldNames())
      .contains("Product", "Problem");
    assertThat(document.getJsonArray("x-surge-unavailable").getList()).containsExactly("orders");
  }

  @Test
  void theAggregateIsValidOpenApi31() {
    JsonObject document = gateway.get("/openapi.json").bodyAsJsonObject();
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(TestService.await(ContractCheck.schemaErrors(vertx, document))).isEmpty();
    } finally {
      vertx.close();
    }
  }

  @Test
  void theReferencePageAndItsRendererAreServedUnderAStrictPolicy() {
    var page = gateway.get("/docs/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.bodyAsString()).contains("swagger-ui/swagger-ui-bundle.js", "reference.js");
    assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");

    var bundle = gateway.get("/docs/swagger-ui/swagger-ui-bundle.js");
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.getHeader("Content-Type")).contains("javascript");
    assertThat(gateway.get("/docs/reference.js").bodyAsString()).contains("/openapi.json");
    assertThat(gateway.get("/docs/swagger-ui/index.html").statusCode()).as("only what the page loads is served")
      .isEqualTo(404);
  }

  @Test
  void nothingButThePagesFilesIsServedFromTheJar() {
    for (String path : new String[] {"/docs/ApiReference.class", "/console/Console.class",
      "/console/webjars.properties", "/docs/../openapi/gateway.json", "/console/%2e%2e/openapi/gateway.json",
      "/console/uplot/package.json", "/console/uplot/uPlot.iife.js"}) {
      assertThat(gateway.get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(gateway.get("/console/console.js").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/console/uplot/uPlot.esm.js").statusCode()).isEqualTo(200);
  }
}
