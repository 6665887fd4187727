package dev.surge.orders;

import dev.surge.testing.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotentPlacementTest {

  @RegisterExtension
  static final Platform platform = Platform.perClass();

  @Test
  void aRetryWithTheSameKeyAndBodyGetsTheFirstResponseAndPlacesNothingMore() {
    long product = platform.product(10);
    var first = platform.place("retry-me", Platform.order("alice", product, 2));
    var retry = platform.place("retry-me", Platform.order("alice", product, 2));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.bodyAsString()).as("word for word").isEqualTo(first.bodyAsString());
    assertThat(retry.getHeader("Location")).isEqualTo(first.getHeader("Location"))
      .isEqualTo("/orders/" + first.bodyAsJsonObject().getString("id"));
    assertThat(platform.stock(product)).isEqualTo(8);
    assertThat(platform.orders().get("/orders?customerId=alice").bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    String id = first.bodyAsJsonObject().getString("id");
    Platform.eventually("the fulfil job confirms it (no webhook configured)", () -> "confirmed".equals(
      platform.orders().get("/orders/" + id).bodyAsJsonObject().getString("status")));
  }

  @Test
  void aRefusedOrderRetriedGetsTheSameRefusal() {
    long product = platform.product(1);
    var first = platform.place("too-many", Platform.order("bob", product, 5));
    var retry = platform.place("too-many", Platform.order("bob", product, 5));
    assertThat(first.statusCode()).isEqualTo(409);
    assertThat(retry.statusCode()).isEqualTo(409);
    assertThat(retry.bodyAsString()).as("word for word").isEqualTo(first.bodyAsString());
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() {
    long product = platform.product(10);
    assertThat(platform.place("reused", Platform.order("carol", product, 1)).statusCode()).isEqualTo(201);
    Problems.assertProblem(platform.place("reused", Platform.order("carol", product, 2)), 422, "idempotency-key-reused");
    assertThat(platform.stock(product)).isEqualTo(9);
  }

  @Test
  void aMissingKeyIs400AndNothingIsReserved() {
    long product = platform.product(10);
    Problems.assertProblem(platform.place(null, Platform.order("dave", product, 1)), 400, "idempotency-key-required");
    Problems.assertProblem(platform.place("bad key with spaces", Platform.order("dave", product, 1)), 400,
      "idempotency-key-required");
    assertThat(platform.stock(product)).isEqualTo(10);
  }
}
