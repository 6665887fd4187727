package dev.surge.orders;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog and the orders service in one Vert.x, on one database, as the all-in-one mode runs them: orders
 * reserves stock over the same event bus the catalog listens on.
 */
public final class Platform implements BeforeAllCallback, AfterAllCallback {

  public static final Map<String, Object> FAST = Map.of(
    "jobs.pollInterval", "100ms",
    "jobs.backoffBase", "20ms",
    "jobs.backoffMax", "200ms");

  private final Map<String, Object> ordersConfig;
  private TestService catalog;
  private TestService orders;

  private Platform(Map<String, Object> ordersConfig) {
    this.ordersConfig = ordersConfig;
  }

  public static Platform perClass() {
    return new Platform(FAST);
  }

  public static Platform perClass(Map<String, Object> ordersOverrides) {
    Map<String, Object> config = new HashMap<>(FAST);
    config.putAll(ordersOverrides);
    return new Platform(config);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    catalog = TestService.start(CatalogMain.definition());
    orders = TestService.beside(catalog, OrdersMain.definition(), ordersConfig);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    orders.close();
    catalog.close();
  }

  public TestService catalog() {
    return catalog;
  }

  public TestService orders() {
    return orders;
  }

  public long product(int stock) {
    var response = catalog.postJson("/products", new JsonObject().put("sku", "FLASH-" + UUID.randomUUID())
      .put("name", "Limited sneaker").put("price", 12_000).put("currency", "EUR").put("stock", stock));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getLong("id");
  }

  public int stock(long productId) {
    return catalog.get("/products/" + productId).bodyAsJsonObject().getInteger("stock");
  }

  public static JsonObject order(String customerId, long... productAndQuantity) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < productAndQuantity.length; i += 2) {
      lines.add(new JsonObject().put("productId", productAndQuantity[i]).put("quantity", productAndQuantity[i + 1]));
    }
    return new JsonObject().put("customerId", customerId).put("lines", lines);
  }

  public HttpResponse<Buffer> place(String idempotencyKey, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    if (idempotencyKey != null) {
      headers.add("Idempotency-Key", idempotencyKey);
    }
    return orders.send(HttpMethod.POST, "/orders", headers, body.encode());
  }

  /** Waits until every job in the database has finished (completed, cancelled or discarded). */
  public static void untilNoJobIsLeft(String pgUrl) {
    eventually("every job finished", () -> {
      try (java.sql.Connection c = dev.surge.testing.SurgeTestEnvironment.jdbc(pgUrl);
           java.sql.ResultSet rows = c.createStatement().executeQuery(
             "SELECT count(*) FROM surge_jobs WHERE state NOT IN ('completed', 'cancelled', 'discarded')")) {
        rows.next();
        return rows.getLong(1) == 0;
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Polls until the condition holds, for up to 20 seconds. */
  public static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("never: " + what);
  }
}
