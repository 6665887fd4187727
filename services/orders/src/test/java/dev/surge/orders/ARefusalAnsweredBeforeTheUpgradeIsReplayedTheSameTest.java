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
 * still gets the answer it got first, to the letter: for a refusal stored before the migration, and for one an
 * older replica stores while a rolling upgrade has it serving beside a new one.
 */
class ARefusalAnsweredBeforeTheUpgradeIsReplayedTheSameTest {

  private static final JsonObject FIRST_ANSWER = new JsonObject()
    .put("type", "https://surge.dev/problems/insufficient-stock").put("title", "A line cannot be ordered")
    .put("status", 409).put("detail", "Line 1 (product 43, quantity 3): 1 left, 3 asked")
    .put("instance", "/orders").put("requestId", "req-before-the-upgrade")
    .put("line", 1).put("productId", 43).put("reason", "insufficient-stock").put("remaining", 1);
  private static final OrderRequest REQUEST = new OrderRequest("kim", List.of(new OrderRequest.Line(42, 1),
    new OrderRequest.Line(43, 3)));

  /** The row a replica older than version 6 stores for a refused line: the answer itself. */
  private static void storeAsAnOlderReplicaDoes(String pgUrl, String key) throws Exception {
    try (Connection db = SurgeTestEnvironment.jdbc(pgUrl);
         PreparedStatement insert = db.prepareStatement("INSERT INTO order_requests (idempotency_key, request_hash,"
           + " order_id, lines, state, response_status, response_body) VALUES (?, ?,"
           + " gen_random_uuid(), '[]', 'answered', 409, ?::jsonb)")) {
      insert.setString(1, key);
      insert.setString(2, REQUEST.hash());
      insert.setString(3, FIRST_ANSWER.encode());
      insert.executeUpdate();
    }
  }

  private static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> retry(TestService orders,
                                                                                        String key) {
    return TestService.await(orders.client().post("/orders").putHeader("Idempotency-Key", key)
      .sendJsonObject(new JsonObject().put("customerId", "kim").put("lines", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("productId", 42).put("quantity", 1))
        .add(new JsonObject().put("productId", 43).put("quantity", 3)))));
  }

  @Test
  void aRefusalAnOlderReplicaStoresDuringARollingUpgradeIsReplayedTheSame() throws Exception {
    try (TestService orders = TestService.start(OrdersMain.definition(), Platform.FAST)) {
      storeAsAnOlderReplicaDoes(orders.pgUrl(), "refused-by-an-older-replica");
      var answer = retry(orders, "refused-by-an-older-replica");
      assertThat(answer.statusCode()).as("a refusal, never a placed order").isEqualTo(409);
      assertThat(answer.bodyAsJsonObject()).isEqualTo(FIRST_ANSWER);
    }
  }

  @Test
  void aRetryAfterTheUpgradeGetsTheFirst409WordForWord() throws Exception {
    String pgUrl = SurgeTestEnvironment.newDatabase();
    try {
      Flyway.configure().dataSource(Postgres.jdbcDataSource(PgConnectOptions.fromUri(pgUrl)))
        .locations("classpath:db/orders").table("orders_schema_history").baselineOnMigrate(true)
        .baselineVersion("0").target("5").load().migrate();
      storeAsAnOlderReplicaDoes(pgUrl, "refused-in-v5");

      try (TestService orders = TestService.onDatabase(pgUrl, OrdersMain.definition(), Platform.FAST)) {
        var answer = retry(orders, "refused-in-v5");
        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.bodyAsJsonObject()).isEqualTo(FIRST_ANSWER);
      }
      try (Connection db = SurgeTestEnvironment.jdbc(pgUrl);
           var row = db.createStatement().executeQuery("SELECT refused_line, refusal_reason, refusal_detail,"
             + " refusal_remaining, refusal_request_id, response_body FROM order_requests"
             + " WHERE idempotency_key = 'refused-in-v5'")) {
        assertThat(row.next()).isTrue();
        assertThat(List.of(row.getInt(1), row.getString(2), row.getString(3), row.getInt(4), row.getString(5)))
          .as("version 6 keeps the refusal as why, not as the HTTP answer")
          .containsExactly(1, "insufficient-stock", "1 left, 3 asked", 1, "req-before-the-upgrade");
        assertThat(row.getString(6)).isNull();
      }
    } finally {
      SurgeTestEnvironment.dropDatabase(pgUrl);
    }
  }
}
