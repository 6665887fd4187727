package dev.surge.catalog.products;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DELETE with If-Match reads the product, then deletes only the version it read. When an update commits in
 * between (here held open in a transaction of the test's own until the delete waits on its row lock), the delete
 * finds no row of that version, yet the product is there, changed: the answer is 412 with the new ETag, not 404
 * as if it were gone, and the product stays.
 */
class ADeleteRacingAnUpdateIsAnswered412Test {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());

  @Test
  void theDeleteIs412AndTheUpdatedProductStays() throws Exception {
    long id = Products.create(service).getLong("id");
    try (Connection update = SurgeTestEnvironment.jdbc(service.pgUrl())) {
      update.setAutoCommit(false);
      try (PreparedStatement bump = update.prepareStatement(
        "UPDATE products SET stock = stock + 1, version = version + 1, updated_at = now() WHERE id = ?")) {
        bump.setLong(1, id);
        assertThat(bump.executeUpdate()).isEqualTo(1);
      }
      Future<HttpResponse<Buffer>> delete = service.request(HttpMethod.DELETE, "/products/" + id)
        .putHeader("If-Match", "\"1\"").send();
      assertThat(SurgeTestEnvironment.lockWaiter(service.pgUrl(), "DELETE FROM products", 0))
        .as("the delete of version 1 waits for the update's lock").isPositive();
      update.commit();
      assertThat(assertProblem(TestService.await(delete), 412, "precondition-failed").getString("detail"))
        .contains("\"2\"");
    }
    HttpResponse<Buffer> product = service.get("/products/" + id);
    assertThat(product.statusCode()).isEqualTo(200);
    assertThat(product.getHeader("ETag")).isEqualTo("\"2\"");
  }
}
