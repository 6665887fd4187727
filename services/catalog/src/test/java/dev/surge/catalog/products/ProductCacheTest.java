package dev.surge.catalog.products;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads go through Redis: the second read does not touch PostgreSQL, and a write drops the cached copy. */
class ProductCacheTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());


  @Test
  void theSecondReadIsACacheHit() {
    long id = Products.create(service).getLong("id");
    double loads = Products.metric(service, "surge_cache_loads_total", "cache=\"products\"");
    double hits = Products.metric(service, "surge_cache_requests_total", "cache=\"products\"", "result=\"hit\"");

    service.get("/products/" + id);
    service.get("/products/" + id);

    assertThat(Products.metric(service, "surge_cache_loads_total", "cache=\"products\"")).isEqualTo(loads + 1);
    assertThat(Products.metric(service, "surge_cache_requests_total", "cache=\"products\"", "result=\"hit\""))
      .isEqualTo(hits + 1);

    // Proof that the second read was served from Redis: a change behind the service's back stays unseen.
    SurgeTestEnvironment.execute(service.pgUrl(), "UPDATE products SET name = 'changed in SQL' WHERE id = " + id);
    assertThat(service.get("/products/" + id).bodyAsJsonObject().getString("name")).isEqualTo("Espresso machine");
  }

  @Test
  void aPatchInvalidatesTheCachedProduct() {
    long id = Products.create(service).getLong("id");
    service.get("/products/" + id);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("If-Match", "\"1\"");
    assertThat(service.send(HttpMethod.PATCH, "/products/" + id, headers, "{\"name\": \"Grinder\"}").statusCode())
      .isEqualTo(200);
    assertThat(service.get("/products/" + id).bodyAsJsonObject().getString("name")).isEqualTo("Grinder");
  }

  @Test
  void aDeleteInvalidatesTheCachedProduct() {
    long id = Products.create(service).getLong("id");
    service.get("/products/" + id);
    service.send(HttpMethod.DELETE, "/products/" + id, MultiMap.caseInsensitiveMultiMap(), null);
    assertThat(service.get("/products/" + id).statusCode()).isEqualTo(404);
  }
}
