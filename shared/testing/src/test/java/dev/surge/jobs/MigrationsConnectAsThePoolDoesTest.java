package dev.surge.jobs;

import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The migrations a service runs at start (here the job tables) connect with everything pg.url says, as the
 * pool does, and wait for another replica's migration a bounded time.
 */
class MigrationsConnectAsThePoolDoesTest {

  @Test
  void aSearchPathInThePgUrlPutsTheMigratedTablesWhereThePoolLooks() throws Exception {
    String database = SurgeTestEnvironment.newDatabase();
    try {
      SurgeTestEnvironment.execute(database, "CREATE SCHEMA shop");
      try (TestService service = TestService.start(TestJobs.definition(),
             overrides(database + "?options=-c%20search_path%3Dshop"))) {
        try (Connection c = SurgeTestEnvironment.jdbc(database);
             ResultSet rows = c.createStatement().executeQuery("SELECT table_name, table_schema"
               + " FROM information_schema.tables WHERE table_name LIKE 'surge_jobs%' ORDER BY table_name")) {
          Map<String, String> schemas = new HashMap<>();
          while (rows.next()) {
            schemas.put(rows.getString(1), rows.getString(2));
          }
          assertThat(schemas).containsEntry("surge_jobs", "shop").containsEntry("surge_jobs_schema_history", "shop")
            .doesNotContainValue("public");
        }
        long id = TestService.await(TestJobs.jobs(service).enqueue(new JobRequest("test.echo"))).id();
        TestJobs.awaitState(TestJobs.jobs(service), id, JobState.COMPLETED);
      }
    } finally {
      SurgeTestEnvironment.dropDatabase(database);
    }
  }

  @Test
  @Timeout(120)
  void aMigrationLockHeldElsewhereFailsTheStartAfterTheBoundNamingTheKey() throws Exception {
    String database = SurgeTestEnvironment.newDatabase();
    try (Connection otherReplica = SurgeTestEnvironment.jdbc(database)) {
      otherReplica.createStatement()
        .execute("SELECT pg_advisory_lock(hashtext('surge.migrations.surge_jobs_schema_history'))");
      Map<String, Object> overrides = overrides(database);
      overrides.put("pg.migrationLockTimeout", "1s");
      assertThatThrownBy(() -> TestService.start(TestJobs.definition(), overrides).close())
        .hasStackTraceContaining("pg.migrationLockTimeout")
        .hasStackTraceContaining("surge_jobs_schema_history");
    } finally {
      SurgeTestEnvironment.dropDatabase(database);
    }
  }

  private static Map<String, Object> overrides(String pgUrl) {
    Map<String, Object> overrides = new HashMap<>(TestJobs.FAST);
    overrides.put("pg.url", pgUrl);
    return overrides;
  }
}
