package dev.surge.catalog.stock;

import dev.surge.catalog.CatalogMain;
import dev.surge.catalog.api.StockApi;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class ReservationsAreIdempotentTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());

  @Test
  void theSameReservationTwiceReservesOnceAndAnswersTheSame() {
    long product = Stock.product(service, 10, null);
    JsonObject first = await(Stock.reserve(service, product, 3, "order-1-line-0")).body();
    JsonObject again = await(Stock.reserve(service, product, 3, "order-1-line-0")).body();
    assertThat(again).isEqualTo(first);
    assertThat(first.getInteger("remaining")).isEqualTo(7);
    assertThat(Stock.stock(service, product)).isEqualTo(7);
  }

  @Test
  void theSameReservationSentManyTimesAtOnceReservesOnce() {
    long product = Stock.product(service, 10, null);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(Stock.reserve(service, product, 2, "retried-at-once"));
    }
    await(Future.all(calls));
    assertThat(Stock.stock(service, product)).isEqualTo(8);
  }

  @Test
  void aReservationIdReusedForAnotherQuantityIsRefused() {
    long product = Stock.product(service, 10, null);
    await(Stock.reserve(service, product, 1, "reused"));
    assertThat(Stock.rejection(Stock.reserve(service, product, 2, "reused")).failure())
      .isEqualTo(StockApi.Failure.RESERVATION_MISMATCH);
    assertThat(Stock.stock(service, product)).isEqualTo(9);
  }
}
