package dev.surge.orders;

import dev.surge.testing.Problems;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class RefusedLineReleasesTheOthersTest {

  @RegisterExtension
  static final Platform platform = Platform.perClass();

  @Test
  void aLineThatCannotBeReservedGivesBackTheLinesThatWereAndSaysWhichAndWhy() {
    long plenty = platform.product(5);
    long scarce = platform.product(1);
    var response = platform.place("two-lines", Platform.order("erin", plenty, 2, scarce, 3));

    JsonObject problem = Problems.assertProblem(response, 409, "insufficient-stock");
    assertThat(problem.getInteger("line")).isEqualTo(1);
    assertThat(problem.getLong("productId")).isEqualTo(scarce);
    assertThat(problem.getString("reason")).isEqualTo("insufficient-stock");
    assertThat(problem.getString("detail")).contains("Line 1").contains("1 left, 3 asked");

    Platform.eventually("the first line's stock is back", () -> platform.stock(plenty) == 5);
    assertThat(platform.stock(scarce)).isEqualTo(1);
    assertThat(platform.orders().get("/orders?customerId=erin").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void anUnknownProductOrAClosedSaleIsAReasonToo() {
    var response = platform.place("ghost", Platform.order("frank", 999_999, 1));
    assertThat(Problems.assertProblem(response, 409, "product-not-found").getInteger("line")).isZero();
  }
}
