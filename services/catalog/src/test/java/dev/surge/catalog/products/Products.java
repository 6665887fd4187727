package dev.surge.catalog.products;

import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Test data and shortcuts for the products API. */
final class Products {

  private static final AtomicInteger SEQ = new AtomicInteger();

  private Products() {
  }

  static JsonObject newProduct() {
    return new JsonObject()
      .put("sku", "SKU-" + System.nanoTime() + "-" + SEQ.incrementAndGet())
      .put("name", "Espresso machine")
      .put("description", "Fifteen bars of pressure")
      .put("price", 19_900)
      .put("currency", "EUR")
      .put("stock", 25);
  }

  static JsonObject create(TestService service, JsonObject product) {
    var response = service.postJson("/products", product);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  static JsonObject create(TestService service) {
    return create(service, newProduct());
  }

  static double metric(TestService service, String name, String... labels) {
    return MetricsScrape.sum(service.get("/metrics").bodyAsString(), name, labels);
  }

  static long count(TestService service) throws Exception {
    try (var c = dev.surge.testing.SurgeTestEnvironment.jdbc(service.pgUrl());
         var rs = c.createStatement().executeQuery("SELECT count(*) FROM products")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
