package dev.surge.orders;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentBuyersNeverOversellTest {

  @RegisterExtension
  static final Platform platform = Platform.perClass();

  @Test
  void fiveHundredConcurrentBuyersOfAHundredUnitsPlaceExactlyAHundredOrders() {
    long product = platform.product(100);
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      calls.add(platform.orders().client().post("/orders")
        .putHeader("Idempotency-Key", "buyer-" + i)
        .sendJsonObject(Platform.order("customer-" + i, product, 1)));
    }
    await(Future.all(calls));

    Map<Integer, Long> byStatus = calls.stream()
      .collect(Collectors.groupingBy(f -> f.result().statusCode(), Collectors.counting()));
    assertThat(byStatus).containsOnly(Map.entry(201, 100L), Map.entry(409, 400L));
    calls.stream().map(Future::result).filter(r -> r.statusCode() == 409).forEach(r ->
      assertThat(r.bodyAsJsonObject().getString("reason")).isEqualTo("insufficient-stock"));
    assertThat(platform.stock(product)).isZero();

    JsonObject page = platform.orders().get("/orders?limit=100").bodyAsJsonObject();
    assertThat(page.getJsonArray("items")).hasSize(100);
    assertThat(page.getString("next")).isNull();
  }
}
