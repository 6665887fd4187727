package dev.surge.orders;

import dev.surge.testing.Problems;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SoldOutProductIsRefusedFromMemoryTest {

  @RegisterExtension
  static final Platform platform = Platform.perClass(Map.of("orders.soldOutMemory", "300ms"));

  @Test
  void aSoldOutProductIsRefusedTheSameWayAndComesBackWhenTheMemoryLapses() throws Exception {
    long product = platform.product(1);
    String bought = platform.place("first", Platform.order("mia", product, 1)).bodyAsJsonObject().getString("id");
    Thread.sleep(350); // the last unit reserved made the memory; let it lapse, for the catalog to refuse the next
    JsonObject fromCatalog = Problems.assertProblem(platform.place("second", Platform.order("noah", product, 1)),
      409, "insufficient-stock");
    JsonObject fromMemory = Problems.assertProblem(platform.place("third", Platform.order("olga", product, 1)),
      409, "insufficient-stock");
    assertThat(fromMemory.getString("detail")).isEqualTo(fromCatalog.getString("detail"));
    assertThat(fromMemory.getInteger("remaining")).isZero();
    assertThat(platform.place("third", Platform.order("olga", product, 1)).bodyAsJsonObject())
      .as("a refusal from memory is replayed like any other").isEqualTo(fromMemory);
    Problems.assertProblem(platform.place("third", Platform.order("olga", product, 2)), 422, "idempotency-key-reused");

    platform.orders().postJson("/orders/" + bought + "/cancel", new JsonObject());
    Platform.eventually("stock back", () -> platform.stock(product) == 1);
    Thread.sleep(350);
    assertThat(platform.place("fourth", Platform.order("pia", product, 1)).statusCode()).isEqualTo(201);
  }
}
