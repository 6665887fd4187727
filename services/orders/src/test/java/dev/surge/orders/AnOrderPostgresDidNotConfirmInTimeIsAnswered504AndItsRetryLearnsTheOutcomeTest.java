package dev.surge.orders;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.orders.APlacementNotStoredInTimeOrdersNothingTest.ordersOfIvy;
import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL does not confirm an order's transaction in time (it waits on a lock the test holds): orders cannot
 * know whether it will be stored, and says so, 504 {@code outcome-unknown}, rather than 503 (nothing ordered) or
 * nothing. Once the transaction commits, the retry with the same key gets the order, placed once.
 */
class AnOrderPostgresDidNotConfirmInTimeIsAnswered504AndItsRetryLearnsTheOutcomeTest {

  @Test
  void theRetryGetsTheOrderStoredAfterTheAnswer() throws Exception {
    try (CatalogStandIn catalog = new CatalogStandIn(Map.of("http.requestTimeout", "4s"), 300)) {
      catalog.remaining.set(50);
      int before = ordersOfIvy(catalog);

      try (RequestRowLock lock = new RequestRowLock(catalog, "unconfirmed")) {
        assertThat(lock.waiter()).as("the order's transaction waits").isPositive();
        var first = await(lock.answer);
        assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(504);
        assertThat(first.getHeader("Content-Type")).startsWith("application/problem+json");
        assertThat(first.getHeader("Retry-After")).isNotNull();
        assertThat(new JsonObject(first.bodyAsString()).getString("type")).endsWith("/outcome-unknown");
      } // the lock is let go: the transaction commits

      var retry = catalog.place("unconfirmed", 4);
      for (int i = 0; i < 50 && retry.statusCode() != 201; i++) {
        Thread.sleep(100);
        retry = catalog.place("unconfirmed", 4);
      }
      assertThat(retry.statusCode()).as(retry.bodyAsString()).isEqualTo(201);
      assertThat(ordersOfIvy(catalog)).as("orders placed").isEqualTo(before + 1);
      assertThat(catalog.releasesScheduled()).as("stock given back").isZero();
    }
  }
}
