package dev.surge.catalog;

import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code service.name} renames a running service (its logs, metrics and cache keys), not its tables: the history of
 * its migrations keeps the name its definition gives it, so a service renamed on an existing database finds its
 * schema migrated instead of baselining an empty history and creating its tables again.
 */
class ARenamedServiceKeepsItsMigrationHistoryTest {

  @Test
  void theHistoryTableIsNamedAfterTheDefinitionNotServiceName() throws Exception {
    try (TestService catalog = TestService.start(CatalogMain.definition(), Map.of("service.name", "catalog-eu"));
         Connection db = SurgeTestEnvironment.jdbc(catalog.pgUrl());
         ResultSet tables = db.createStatement().executeQuery(
           "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename LIKE '%schema_history'")) {
      tables.next();
      assertThat(tables.getString(1)).isEqualTo("catalog_schema_history");
    }
  }
}
