package dev.surge.orders;

import dev.surge.testing.Problems;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class CancelReleasesStockOnceTest {

  @RegisterExtension
  static final Platform platform = Platform.perClass();

  @Test
  void cancellingGivesTheStockBackOnceHoweverOftenItIsAsked() throws Exception {
    long product = platform.product(10);
    String id = platform.place("to-cancel", Platform.order("hank", product, 3)).bodyAsJsonObject().getString("id");
    assertThat(platform.stock(product)).isEqualTo(7);

    var cancelled = platform.orders().postJson("/orders/" + id + "/cancel", new JsonObject());
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    assertThat(cancelled.bodyAsJsonObject().getString("cancelledAt")).isNotNull();
    Platform.eventually("stock back", () -> platform.stock(product) == 10);

    var again = platform.orders().postJson("/orders/" + id + "/cancel", new JsonObject());
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    Thread.sleep(500); // a second release, were there one, would have run by now
    assertThat(platform.stock(product)).isEqualTo(10);
  }

  @Test
  void cancellingAnUnknownOrderIs404AndABadIdIs400() {
    Problems.assertProblem(platform.orders().postJson("/orders/" + java.util.UUID.randomUUID() + "/cancel",
      new JsonObject()), 404, "not-found");
    Problems.assertProblem(platform.orders().postJson("/orders/42/cancel", new JsonObject()), 400, "validation-failed");
  }
}
