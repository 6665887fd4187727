package dev.surge.catalog.stock;

import dev.surge.catalog.CatalogMain;
import dev.surge.catalog.api.StockApi.Failure;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class ReleaseGivesStockBackOnceTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());

  @Test
  void releasingTwiceRestocksOnce() {
    long product = Stock.product(service, 10, null);
    await(Stock.reserve(service, product, 4, "cancel-me"));
    assertThat(Stock.stock(service, product)).isEqualTo(6);

    assertThat(await(Stock.release(service, "cancel-me", product)).body().getBoolean("released")).isTrue();
    assertThat(await(Stock.release(service, "cancel-me", product)).body().getBoolean("released")).isFalse();
    assertThat(Stock.stock(service, product)).isEqualTo(10);
  }

  @Test
  void aReleaseOntoStockRaisedToTheMostAProductHoldsIsReleasedAndStopsThere() {
    long product = Stock.product(service, 10, null);
    await(Stock.reserve(service, product, 4, "restocked-meanwhile"));
    var raised = service.send(HttpMethod.PATCH, "/products/" + product, MultiMap.caseInsensitiveMultiMap()
      .add("Content-Type", "application/json").add("If-Match", "*"), "{\"stock\": " + Integer.MAX_VALUE + "}");
    assertThat(raised.statusCode()).isEqualTo(200);

    assertThat(await(Stock.release(service, "restocked-meanwhile", product)).body().getBoolean("released")).isTrue();
    assertThat(Stock.stock(service, product)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aReleaseBeforeItsReservationStopsTheLateReservation() {
    long product = Stock.product(service, 10, null);
    assertThat(await(Stock.release(service, "gave-up-waiting", product)).body().getBoolean("released")).isFalse();

    assertThat(Stock.rejection(Stock.reserve(service, product, 1, "gave-up-waiting")).failure())
      .isEqualTo(Failure.RELEASED);
    assertThat(Stock.stock(service, product)).isEqualTo(10);
  }

  @Test
  void stockChangesShowInTheCachedProductAtOnce() {
    long product = Stock.product(service, 10, null);
    assertThat(Stock.stock(service, product)).isEqualTo(10); // now cached
    String etag = service.get("/products/" + product).getHeader("ETag");

    await(Stock.reserve(service, product, 3, "seen"));
    assertThat(Stock.stock(service, product)).isEqualTo(7);
    assertThat(service.get("/products/" + product).getHeader("ETag")).isNotEqualTo(etag);
    await(Stock.release(service, "seen", product));
    assertThat(Stock.stock(service, product)).isEqualTo(10);
  }
}
