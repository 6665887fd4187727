package dev.surge.pg;

import dev.surge.RunningService;
import dev.surge.ServiceContext;
import dev.surge.ServiceDefinition;
import dev.surge.Surge;
import dev.surge.embedded.EmbeddedPostgresServer;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.sqlclient.SqlClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A service whose reads on the pipelined client are all by key ({@link PostgresComponent#genericPlansForReads()})
 * keeps PostgreSQL's generic plans for them (planning each single-row read cost a fifth to two fifths of the rate),
 * but only where autovacuum's ANALYZE replaces a generic plan made while a table was small: on a server without it,
 * such a plan (a full scan of a table of a few rows) would stay as the table grows, so there every read is planned
 * for the table as it is. Any other service plans each read, as the pool, for writes and transactions, always does;
 * a mode set explicitly is kept.
 */
class ReadsByKeyKeepGenericPlansOnlyWhereAutovacuumReplacesThemTest {

  @Test
  void onAServerWithAutovacuumReadsByKeyKeepGenericPlansAndThePoolPlansEachStatement() throws Exception {
    Path dir = Files.createTempDirectory("surge-plans-pg");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir)) {
      assumeThat(autovacuum(pg.url())).as("the embedded server runs autovacuum").isTrue();
      assertThat(planCacheModes(byKey(), pg.url(), Map.of())).containsExactly("auto", "force_custom_plan");
      assertThat(planCacheModes(PostgresComponent.migrations("db/plans"), pg.url(), Map.of()))
        .as("a service that did not say its reads are by key").containsExactly("force_custom_plan", "force_custom_plan");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void onAServerWithoutAutovacuumEvenReadsByKeyArePlannedEachTime() throws Exception {
    String url = SurgeTestEnvironment.newDatabase();
    try {
      assumeThat(autovacuum(url)).as("the test server runs without autovacuum").isFalse();
      assertThat(planCacheModes(byKey(), url, Map.of())).containsExactly("force_custom_plan", "force_custom_plan");
    } finally {
      SurgeTestEnvironment.dropDatabase(url);
    }
  }

  @Test
  void aModeSetExplicitlyIsKeptWhateverTheServer() throws Exception {
    String url = SurgeTestEnvironment.newDatabase();
    try {
      assertThat(planCacheModes(byKey(), url, Map.of(PgKeys.PIPELINED_PLAN_CACHE_MODE.name(), "auto")))
        .containsExactly("auto", "force_custom_plan");
      assertThat(planCacheModes(PostgresComponent.migrations("db/plans"), url,
        Map.of(PgKeys.PIPELINED_PLAN_CACHE_MODE.name(), "force_generic_plan", PgKeys.PLAN_CACHE_MODE.name(), "auto")))
        .containsExactly("force_generic_plan", "auto");
    } finally {
      SurgeTestEnvironment.dropDatabase(url);
    }
  }

  private static PostgresComponent byKey() {
    return PostgresComponent.migrations("db/plans").genericPlansForReads();
  }

  /** The plan_cache_mode of the client's session, then of the pool's, in a service started on {@code url}. */
  private static String[] planCacheModes(PostgresComponent postgres, String url, Map<String, ?> overrides) {
    AtomicReference<ServiceContext> context = new AtomicReference<>();
    ServiceDefinition definition = ServiceDefinition.builder("plans")
      .use(postgres)
      .http(ctx -> {
        context.set(ctx);
        return router -> { };
      })
      .build();
    RunningService running = TestService.await(Surge.start(definition,
      SurgeTestEnvironment.config(definition, url, overrides)));
    try {
      return new String[] {show(PostgresComponent.client(context.get())), show(PostgresComponent.pool(context.get()))};
    } finally {
      TestService.await(running.shutdown());
    }
  }

  private static String show(SqlClient client) {
    return TestService.await(client.query("SHOW plan_cache_mode").execute()).iterator().next().getString(0);
  }

  private static boolean autovacuum(String url) throws Exception {
    try (Connection c = SurgeTestEnvironment.jdbc(url);
         ResultSet rs = c.createStatement().executeQuery(
           "SELECT current_setting('autovacuum') = 'on' AND current_setting('track_counts') = 'on'")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
