package dev.surge.orders;

import dev.surge.testing.Problems;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class OrdersRejectBadInputTest {

  @RegisterExtension
  static final Platform platform = Platform.perClass();

  @Test
  void badBodiesAre400NamingEveryFieldAndReserveNothing() {
    long product = platform.product(10);
    JsonObject problem = Problems.assertProblem(platform.place("bad-1", new JsonObject()
      .put("customerId", "")
      .put("lines", new JsonArray()
        .add(new JsonObject().put("productId", product).put("quantity", 0))
        .add(new JsonObject().put("productId", "seven").put("quantity", 1))
        .add(new JsonObject().put("productId", product).put("quantity", 1).put("price", 1))
        .add("not an object"))
      .put("coupon", "FREE")), 400, "validation-failed");
    assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).toList())
      .contains("customerId", "lines[0].quantity", "lines[1].productId", "lines[2].price", "lines[2].productId",
        "lines[3]", "coupon");

    Problems.assertProblem(platform.place("bad-2", new JsonObject().put("customerId", "x")
      .put("lines", new JsonArray())), 400, "validation-failed");
    Problems.assertProblem(platform.place("bad-3", new JsonObject().put("customerId", "x")), 400, "validation-failed");
    Problems.assertProblem(platform.orders().send(HttpMethod.POST, "/orders", MultiMap.caseInsensitiveMultiMap()
      .add("Content-Type", "application/json").add("Idempotency-Key", "bad-4"), "{"), 400, "malformed-json");
    Problems.assertProblem(platform.orders().send(HttpMethod.POST, "/orders", MultiMap.caseInsensitiveMultiMap()
      .add("Content-Type", "text/plain").add("Idempotency-Key", "bad-5"), "x"), 415, "unsupported-media-type");
    assertThat(platform.stock(product)).isEqualTo(10);

    assertThat(platform.place("bad-1", Platform.order("fixed", product, 1)).statusCode())
      .as("a rejected body left no trace of its key").isEqualTo(201);
  }

  @Test
  void badReadsAre4xx() {
    Problems.assertProblem(platform.orders().get("/orders/not-a-uuid"), 400, "validation-failed");
    Problems.assertProblem(platform.orders().get("/orders/" + java.util.UUID.randomUUID()), 404, "not-found");
    Problems.assertProblem(platform.orders().get("/orders?limit=0"), 400, "validation-failed");
    Problems.assertProblem(platform.orders().get("/orders?cursor=zzz"), 400, "validation-failed");
  }

  @Test
  void ordersAreListedByCustomerNewestFirstInPages() {
    long product = platform.product(10);
    for (int i = 0; i < 3; i++) {
      assertThat(platform.place("page-" + i, Platform.order("lena", product, 1)).statusCode()).isEqualTo(201);
    }
    JsonObject first = platform.orders().get("/orders?customerId=lena&limit=2").bodyAsJsonObject();
    assertThat(first.getJsonArray("items")).hasSize(2);
    JsonObject second = platform.orders().get(first.getString("next")).bodyAsJsonObject();
    assertThat(second.getJsonArray("items")).hasSize(1);
    assertThat(second.getString("next")).isNull();
  }
}
