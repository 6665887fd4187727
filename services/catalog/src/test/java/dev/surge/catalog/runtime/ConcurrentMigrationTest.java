package dev.surge.catalog.runtime;

import dev.surge.RunningService;
import dev.surge.ServiceDefinition;
import dev.surge.Surge;
import dev.surge.catalog.CatalogMain;
import dev.surge.testing.SurgeTestEnvironment;
import io.vertx.core.Future;
import org.junit.jupiter.api.RepeatedTest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Two replicas starting at the same moment on one empty database both come up, and migrate it once. */
class ConcurrentMigrationTest {

  @RepeatedTest(5)
  void twoReplicasStartingTogetherMigrateOnce() throws Exception {
    ServiceDefinition catalog = CatalogMain.definition();
    String db = SurgeTestEnvironment.newDatabase();
    try {
      Future<RunningService> first = Surge.start(catalog, SurgeTestEnvironment.config(catalog, db, Map.of()));
      Future<RunningService> second = Surge.start(catalog, SurgeTestEnvironment.config(catalog, db, Map.of()));
      await(Future.join(first, second));
      try {
        assertThat(first.succeeded()).as(String.valueOf(first.cause())).isTrue();
        assertThat(second.succeeded()).as(String.valueOf(second.cause())).isTrue();
        try (Connection c = SurgeTestEnvironment.jdbc(db);
             ResultSet rs = c.createStatement().executeQuery(
               "SELECT count(*) FROM catalog_schema_history WHERE version = '1' AND success")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      } finally {
        if (first.succeeded()) {
          await(first.result().close());
        }
        if (second.succeeded()) {
          await(second.result().close());
        }
      }
    } finally {
      SurgeTestEnvironment.dropDatabase(db);
    }
  }
}
