package dev.surge.orders;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three processes' worth of Vert.x in one JVM, each clustered over loopback as separate containers would be: two
 * catalog replicas and orders. Orders reserves stock on whichever replica the clustered event bus picks, and a
 * replica leaving the cluster loses no reply.
 */
class StockIsReservedAcrossClusteredNodesTest {

  private static final LoopbackCluster CLUSTER = LoopbackCluster.of(3);
  private static TestService catalog;
  private static TestService secondCatalog;
  private static TestService orders;

  private static Map<String, Object> member(int index, Map<String, Object> extra) {
    return CLUSTER.member(index, extra);
  }

  @BeforeAll
  static void start() {
    catalog = TestService.start(CatalogMain.definition(), member(0, Map.of()));
    secondCatalog = TestService.anotherNode(catalog, CatalogMain.definition(),
      member(1, Map.of("shutdown.delay", "500ms")));
    orders = TestService.anotherNode(catalog, OrdersMain.definition(), member(2, Platform.FAST));
  }

  @AfterAll
  static void stop() {
    orders.close();
    secondCatalog.close();
    catalog.close();
  }

  @Test
  void ordersReserveStockOnCatalogReplicasInOtherNodesAndAReplicaLeavingLosesNoReply() {
    assertThat(orders.running().vertx().isClustered()).isTrue();
    long product = catalog.postJson("/products", new JsonObject().put("sku", "CLUSTER-" + UUID.randomUUID())
      .put("name", "Far away").put("price", 100).put("currency", "EUR").put("stock", 1000))
      .bodyAsJsonObject().getLong("id");

    HttpResponse<Buffer> first = await(place("cluster-first", product));
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);

    List<Future<HttpResponse<Buffer>>> during = new ArrayList<>();
    Future<Void> left = null;
    for (int i = 0; i < 100; i++) {
      during.add(place("cluster-" + i, product));
      if (i == 20) {
        // SIGTERM's drain, while reservations are on their way to it: it withdraws its consumers, answers what
        // was sent before the others heard, and leaves the cluster
        left = secondCatalog.running().shutdown();
      }
    }
    for (Future<HttpResponse<Buffer>> response : during) {
      HttpResponse<Buffer> answered = await(response);
      assertThat(answered.statusCode()).as(answered.bodyAsString()).isEqualTo(201);
    }
    await(left);
    HttpResponse<Buffer> after = await(place("cluster-after", product));
    assertThat(after.statusCode()).as("the remaining replica serves alone: " + after.bodyAsString()).isEqualTo(201);
    Platform.eventually("stock taken for every order", () ->
      catalog.get("/products/" + product).bodyAsJsonObject().getInteger("stock") == 1000 - 102);
  }

  private static Future<HttpResponse<Buffer>> place(String key, long product) {
    return orders.request(HttpMethod.POST, "/orders")
      .putHeaders(MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Idempotency-Key", key))
      .sendBuffer(Buffer.buffer(Platform.order("kai", product, 1).encode()));
  }
}
