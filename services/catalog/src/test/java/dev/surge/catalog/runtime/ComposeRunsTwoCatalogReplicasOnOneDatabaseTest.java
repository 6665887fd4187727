package dev.surge.catalog.runtime;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compose runs the catalog twice, both replicas on the one PostgreSQL of the compose network (with the user and
 * database its container creates) and its Redis, each started once those are healthy.
 */
class ComposeRunsTwoCatalogReplicasOnOneDatabaseTest {

  @Test
  void bothReplicasRunOnTheComposePostgresAndRedisOnceTheyAreHealthy() throws Exception {
    ComposeFile compose = ComposeFile.read();
    List<ComposeService> replicas = compose.surgeServices().stream()
      .filter(s -> "catalog".equals(s.buildArg("SERVICE"))).toList();
    assertThat(replicas).extracting(ComposeService::name).containsExactly("catalog", "catalog-2");

    Map<String, String> postgres = compose.service("postgres").environment();
    String database = "postgresql://" + postgres.get("POSTGRES_USER") + ":" + postgres.get("POSTGRES_PASSWORD")
      + "@postgres:5432/" + postgres.get("POSTGRES_DB");
    for (ComposeService replica : replicas) {
      assertThat(replica.environment()).as(replica.name())
        .containsEntry("SURGE_PG_URL", database)
        .containsEntry("SURGE_REDIS_URL", "redis://redis:6379");
      assertThat(replica.dependsOn()).as(replica.name())
        .containsEntry("postgres", "service_healthy")
        .containsEntry("redis", "service_healthy");
    }
  }
}
