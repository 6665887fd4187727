package dev.surge.orders;

import dev.surge.testing.Problems;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the catalog reserves a product's last units (none remaining after them), orders knows it is sold out
 * without waiting for a refusal: the next order for it is refused from memory, and the catalog is not asked.
 */
class TheLastUnitReservedRefusesTheNextFromMemoryTest {

  private static final long PRODUCT = 7;
  private static CatalogStandIn catalog;

  @BeforeAll
  static void start() {
    catalog = new CatalogStandIn(Map.of("orders.soldOutMemory", "10s"), 0);
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void theOrderAfterTheLastUnitIsRefusedWithoutAskingTheCatalog() {
    catalog.remaining.set(1);
    assertThat(place("first").statusCode()).isEqualTo(201);
    assertThat(catalog.asked).hasValue(1);

    catalog.remaining.set(0);
    assertThat(place("second").statusCode()).as("one left after it: still in stock").isEqualTo(201);
    assertThat(catalog.asked).hasValue(2);

    catalog.remaining.set(5); // were the catalog asked, it would reserve
    var refused = Problems.assertProblem(place("third"), 409, "insufficient-stock");
    assertThat(refused.getInteger("remaining")).isZero();
    assertThat(catalog.asked).as("refused from memory").hasValue(2);
  }

  private static HttpResponse<Buffer> place(String key) {
    return catalog.place(key, PRODUCT);
  }
}
