package dev.surge.orders;

import dev.surge.RunningService;
import dev.surge.ServiceDefinition;
import dev.surge.Surge;
import dev.surge.catalog.CatalogMain;
import dev.surge.testing.SurgeTestEnvironment;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request answered 409 is answered 409 again after PostgreSQL crashed: the refusal was on disk before the client
 * had it. Refusals of both kinds: from memory (a product known sold out) and from the catalog (a product it does
 * not know). The retries go to a restarted service, once the stock is back, as a retry after a crash may: a refusal
 * lost in the crash would be decided afresh there and placed (201), or found still reserving.
 */
class RefusalsSurviveAPostgresCrashTest {

  private static final long UNKNOWN_PRODUCT = 987_654_321L;

  @Test
  void everyRefusalIsReplayedAsTheSame409AfterAnImmediateStop(@TempDir Path dataDir) throws Exception {
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx);
    RunningService catalog = null;
    RunningService orders = null;
    try (CrashablePostgres postgres = CrashablePostgres.start(dataDir)) {
      catalog = start(null, CatalogMain.definition(), postgres.url());
      orders = start(catalog, OrdersMain.definition(), postgres.url());

      long product = await(client.post(catalog.httpPort(), "127.0.0.1", "/products").sendJsonObject(new JsonObject()
        .put("sku", "CRASH-1").put("name", "Limited sneaker").put("price", 12_000).put("currency", "EUR")
        .put("stock", 1))).bodyAsJsonObject().getLong("id");
      HttpResponse<Buffer> bought = place(client, orders, "bought", product);
      assertThat(bought.statusCode()).isEqualTo(201); // the last unit: the product is now known sold out
      String boughtId = bought.bodyAsJsonObject().getString("id");
      // Nothing else writes from here on, so nothing else flushes the WAL the refusals leave.
      Platform.untilNoJobIsLeft(postgres.url());

      Map<String, HttpResponse<Buffer>> refused = new LinkedHashMap<>();
      for (int i = 0; i < 3; i++) {
        refused.put("unknown-" + i, place(client, orders, "unknown-" + i, UNKNOWN_PRODUCT));
      }
      for (int i = 0; i < 20; i++) {
        refused.put("sold-out-" + i, place(client, orders, "sold-out-" + i, product));
      }
      refused.forEach((key, answer) -> assertThat(answer.statusCode()).as(key).isEqualTo(409));

      postgres.crash();
      postgres.restart();

      // Restarted, as a retry may find them (and so that no memory of the sale is left to refuse it again).
      await(orders.close());
      orders = null;
      await(catalog.close());
      catalog = start(null, CatalogMain.definition(), postgres.url());
      orders = start(catalog, OrdersMain.definition(), postgres.url());
      RunningService fresh = orders;
      int catalogPort = catalog.httpPort();
      Platform.eventually("orders ready again", () -> await(client.get(fresh.httpPort(), "127.0.0.1", "/health/ready")
        .send()).statusCode() == 200);
      assertThat(await(client.post(fresh.httpPort(), "127.0.0.1", "/orders/" + boughtId + "/cancel").send())
        .statusCode()).isEqualTo(200);
      Platform.eventually("the stock back", () -> await(client.get(catalogPort, "127.0.0.1", "/products/" + product)
        .send()).bodyAsJsonObject().getInteger("stock") == 1);

      Map<String, String> lost = new LinkedHashMap<>(); // key: what it was answered, then what its retry got
      refused.forEach((key, first) -> {
        HttpResponse<Buffer> again = place(client, fresh, key, key.startsWith("unknown") ? UNKNOWN_PRODUCT : product);
        if (again.statusCode() != 409 || !again.bodyAsJsonObject().equals(first.bodyAsJsonObject())) {
          lost.put(key, first.bodyAsString() + " then " + again.statusCode() + " " + again.bodyAsString());
        }
      });
      assertThat(lost).as("retries after the crash not given the refusal they had").isEmpty();
    } finally {
      if (orders != null) {
        await(orders.close());
      }
      if (catalog != null) {
        await(catalog.close());
      }
      await(vertx.close());
    }
  }

  private static RunningService start(RunningService host, ServiceDefinition definition, String pgUrl) {
    Map<String, Object> overrides = new HashMap<>(Platform.FAST);
    overrides.put("orders.soldOutMemory", "10s");
    overrides.put("pg.connectionTimeout", "2s");
    var config = SurgeTestEnvironment.config(definition, pgUrl,
      definition.name().equals("orders") ? overrides : Map.of("pg.connectionTimeout", "2s"));
    return await(host == null ? Surge.start(definition, config) : Surge.startBeside(host, definition, config));
  }

  private static HttpResponse<Buffer> place(WebClient client, RunningService orders, String key, long product) {
    return await(client.post(orders.httpPort(), "127.0.0.1", "/orders").putHeader("Idempotency-Key", key)
      .sendJsonObject(Platform.order("quinn", product, 1)));
  }
}
