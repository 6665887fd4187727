package dev.surge.catalog.stock;

import dev.surge.catalog.CatalogMain;
import dev.surge.catalog.api.StockApi;
import dev.surge.catalog.api.StockApi.Failure;
import dev.surge.testing.TestService;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class ReservationFailuresTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());

  @Test
  void anUnknownProductIsNotFound() {
    assertThat(Stock.rejection(Stock.reserve(service, 987654, 1, "x")).failure()).isEqualTo(Failure.NOT_FOUND);
  }

  @Test
  void aSaleThatHasNotStartedTakesNothing() {
    long product = Stock.product(service, 10, "2099-01-01T00:00:00Z");
    assertThat(Stock.rejection(Stock.reserve(service, product, 1, "early-bird")).failure())
      .isEqualTo(Failure.SALE_NOT_OPEN);
    assertThat(Stock.stock(service, product)).isEqualTo(10);
  }

  @Test
  void aMalformedRequestIsInvalid() {
    for (Object body : new Object[] {"not json", new JsonObject(),
      new JsonObject().put("productId", 1).put("quantity", 0).put("reservationId", "r"),
      new JsonObject().put("productId", -1).put("quantity", 1).put("reservationId", "r"),
      new JsonObject().put("productId", 1).put("quantity", 1).put("reservationId", "")}) {
      var call = service.running().vertx().eventBus().request(StockApi.RESERVE, body,
        new DeliveryOptions().setSendTimeout(5000));
      assertThat(Stock.rejection(call).failure()).as(String.valueOf(body)).isEqualTo(Failure.INVALID);
    }
  }
}
