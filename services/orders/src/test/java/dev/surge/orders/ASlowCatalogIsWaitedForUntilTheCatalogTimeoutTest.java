package dev.surge.orders;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catalog that answers each reservation after 1.2 s, within the default {@code orders.catalogTimeout} (2 s) but
 * after the orders service has asked again (it does while a quarter of the time left goes by unanswered): the
 * first answer is taken, and the order is placed.
 */
class ASlowCatalogIsWaitedForUntilTheCatalogTimeoutTest {

  @Test
  void anOrderWhoseCatalogAnswersLateButInTimeIsPlaced() {
    try (CatalogStandIn catalog = new CatalogStandIn(Map.of(), 1200)) {
      catalog.remaining.set(50);

      var response = catalog.place("slow-catalog", 4);

      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      assertThat(catalog.asked.get()).as("asked again while unanswered").isGreaterThan(1);
    }
  }
}
