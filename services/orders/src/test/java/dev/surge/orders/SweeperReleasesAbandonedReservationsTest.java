package dev.surge.orders;

import dev.surge.catalog.api.StockApi;
import dev.surge.testing.SurgeTestEnvironment;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

class SweeperReleasesAbandonedReservationsTest {

  @RegisterExtension
  static final Platform platform = Platform.perClass(Map.of("orders.sweepAfter", "1s", "orders.sweepInterval", "200ms"));

  @Test
  void aReservationWhoseProcessDiedBeforeTheOrderWasStoredIsGivenBack() throws Exception {
    long product = platform.product(10);
    UUID orderId = UUID.randomUUID();
    String reservationId = orderId + "/0";
    // What a process leaves behind when it dies after reserving and before storing the order:
    // its request, still reserving, and the stock it took.
    try (Connection db = SurgeTestEnvironment.jdbc(platform.orders().pgUrl());
         PreparedStatement insert = db.prepareStatement("INSERT INTO order_requests "
           + "(idempotency_key, request_hash, order_id, lines, state) VALUES (?, 'h', ?, ?::jsonb, 'reserving')")) {
      insert.setString(1, "died-mid-order");
      insert.setObject(2, orderId);
      insert.setString(3, "[{\"productId\": " + product + ", \"quantity\": 4, \"reservationId\": \"" + reservationId + "\"}]");
      insert.executeUpdate();
    }
    await(platform.orders().running().vertx().eventBus().request(StockApi.RESERVE,
      StockApi.reserveRequest(product, 4, reservationId), new DeliveryOptions().setSendTimeout(5000)));
    assertThat(platform.stock(product)).isEqualTo(6);

    Platform.eventually("the stock is given back", () -> platform.stock(product) == 10);
    try (Connection db = SurgeTestEnvironment.jdbc(platform.orders().pgUrl());
         ResultSet left = db.createStatement().executeQuery(
           "SELECT count(*) FROM order_requests WHERE idempotency_key = 'died-mid-order'")) {
      left.next();
      assertThat(left.getInt(1)).as("the request is dropped, so a retry starts afresh").isZero();
    }
    var retry = platform.place("died-mid-order", Platform.order("kim", product, 4));
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(platform.stock(product)).isEqualTo(6);
  }
}
