package dev.surge.orders;

import dev.surge.orders.placement.OrderRequest;
import dev.surge.pg.Postgres;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests refused before version 6 of the orders' schema were stored with their HTTP answer; from version 6 a
 * refusal is stored as why it was refused, and the routes render the answer. A client retrying across the upgrade
 * still gets the answer it got first, to the letter.
 */
class ARefusalAnsweredBeforeTheUpgradeIsReplayedTheSameTest {

  @Test
  void aRetryAfterTheUpgradeGetsTheFirst409WordForWord() throws Exception {
    String pgUrl = SurgeTestEnvironment.newDatabase();
    try {
      Flyway.configure().dataSource(Postgres.jdbcDataSource(PgConnectOptions.fromUri(pgUrl)))
        .locations("classpath:db/orders").table("orders_schema_history").baselineOnMigrate(true)
        .baselineVersion("0").target("5").load().migrate();
      JsonObject firstAnswer = new JsonObject()
        .put("type", "https://surge.dev/problems/insufficient-stock").put("title", "A line cannot be ordered")
        .put("status", 409).put("detail", "Line 1 (product 43, quantity 3): 1 left, 3 asked")
        .put("instance", "/orders").put("requestId", "req-before-the-upgrade")
        .put("line", 1).put("productId", 43).put("reason", "insufficient-stock").put("remaining", 1);
      OrderRequest request = new OrderRequest("kim", List.of(new OrderRequest.Line(42, 1),
        new OrderRequest.Line(43, 3)));
      try (Connection db = SurgeTestEnvironment.jdbc(pgUrl);
           PreparedStatement insert = db.prepareStatement("INSERT INTO order_requests (idempotency_key, request_hash,"
             + " order_id, lines, state, response_status, response_body) VALUES ('refused-in-v5', ?,"
             + " gen_random_uuid(), '[]', 'answered', 409, ?::jsonb)")) {
        insert.setString(1, request.hash());
        insert.setString(2, firstAnswer.encode());
        insert.executeUpdate();
      }

      try (TestService orders = TestService.onDatabase(pgUrl, OrdersMain.definition(), Platform.FAST)) {
        var retry = orders.client().post("/orders").putHeader("Idempotency-Key", "refused-in-v5")
          .sendJsonObject(new JsonObject().put("customerId", "kim").put("lines", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("productId", 42).put("quantity", 1))
            .add(new JsonObject().put("productId", 43).put("quantity", 3))));
        var answer = TestService.await(retry);
        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.bodyAsJsonObject()).isEqualTo(firstAnswer);
      }
    } finally {
      SurgeTestEnvironment.dropDatabase(pgUrl);
    }
  }
}
