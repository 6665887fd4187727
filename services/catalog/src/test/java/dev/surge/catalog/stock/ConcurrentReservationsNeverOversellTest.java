package dev.surge.catalog.stock;

import dev.surge.catalog.CatalogMain;
import dev.surge.catalog.api.StockApi;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentReservationsNeverOversellTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());

  @Test
  void fiveHundredBuyersForAHundredUnitsGetExactlyAHundred() {
    long product = Stock.product(service, 100, null);
    List<Future<Message<JsonObject>>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      calls.add(Stock.reserve(service, product, 1, "buyer-" + i));
    }
    await(Future.join(calls).otherwiseEmpty());

    long reserved = calls.stream().filter(Future::succeeded).count();
    List<StockApi.Rejection> rejections = calls.stream().filter(Future::failed)
      .map(f -> StockApi.rejection(f.cause())).toList();
    assertThat(reserved).isEqualTo(100);
    assertThat(rejections).hasSize(400)
      .allSatisfy(r -> assertThat(r.failure()).isEqualTo(StockApi.Failure.INSUFFICIENT_STOCK));
    assertThat(Stock.stock(service, product)).isZero();
    List<Integer> remaining = calls.stream().filter(Future::succeeded)
      .map(f -> f.result().body().getInteger("remaining")).sorted().toList();
    assertThat(remaining).as("each reservation saw the stock it left").doesNotHaveDuplicates()
      .first().isEqualTo(0);
  }

  @Test
  void aLargeOrderTakesAllOrNothing() {
    long product = Stock.product(service, 5, null);
    StockApi.Rejection rejection = Stock.rejection(Stock.reserve(service, product, 6, "big"));
    assertThat(rejection.failure()).isEqualTo(StockApi.Failure.INSUFFICIENT_STOCK);
    assertThat(rejection.remaining()).isEqualTo(5);
    assertThat(await(Stock.reserve(service, product, 5, "exact")).body().getInteger("remaining")).isZero();
  }
}
