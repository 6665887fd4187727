package dev.surge.catalog.stock;

import dev.surge.catalog.api.StockApi;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/** Calling the stock API over the service's event bus, as another service in the process would. */
final class Stock {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  private Stock() {
  }

  static long product(TestService service, int stock, String saleStartsAt) {
    JsonObject body = new JsonObject().put("sku", "FLASH-" + System.nanoTime()).put("name", "Limited sneaker")
      .put("price", 12_000).put("currency", "EUR").put("stock", stock);
    if (saleStartsAt != null) {
      body.put("saleStartsAt", saleStartsAt);
    }
    var response = service.postJson("/products", body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getLong("id");
  }

  static Future<Message<JsonObject>> reserve(TestService service, long productId, int quantity, String reservationId) {
    return service.running().vertx().eventBus()
      .request(StockApi.RESERVE, StockApi.reserveRequest(productId, quantity, reservationId), TIMEOUT);
  }

  static Future<Message<JsonObject>> release(TestService service, String reservationId, long productId) {
    return service.running().vertx().eventBus()
      .request(StockApi.RELEASE, StockApi.releaseRequest(reservationId, productId), TIMEOUT);
  }

  /** The failure a reserve or release was answered with; fails the test when it succeeded. */
  static StockApi.Rejection rejection(Future<?> call) {
    try {
      TestService.await(call);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null && !(e instanceof io.vertx.core.eventbus.ReplyException) ? e.getCause() : e;
      StockApi.Rejection rejection = StockApi.rejection(cause);
      assertThat(rejection).as("a stock rejection, not " + cause).isNotNull();
      return rejection;
    }
    throw new AssertionError("the call succeeded");
  }

  static int stock(TestService service, long productId) {
    return service.get("/products/" + productId).bodyAsJsonObject().getInteger("stock");
  }
}
