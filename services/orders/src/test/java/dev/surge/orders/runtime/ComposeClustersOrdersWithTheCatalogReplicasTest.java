package dev.surge.orders.runtime;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders reserves stock on the catalog over the clustered event bus: in compose it is clustered with every catalog
 * replica (each in its member list), starts once the catalog is healthy, and shares the catalog's database (its
 * job queue lives in surge_jobs beside the jobs service's).
 */
class ComposeClustersOrdersWithTheCatalogReplicasTest {

  @Test
  void ordersJoinsTheClusterOfEveryCatalogReplicaOnceTheCatalogIsHealthy() throws Exception {
    ComposeFile compose = ComposeFile.read();
    ComposeService orders = compose.service("orders");
    assertThat(orders.environment()).containsEntry("SURGE_CLUSTER_ENABLED", "true");
    List<String> members = Arrays.stream(orders.environment().get("SURGE_CLUSTER_MEMBERS").split(","))
      .map(m -> m.substring(0, m.indexOf(':')).trim()).toList();
    List<ComposeService> catalogs = compose.surgeServices().stream()
      .filter(s -> "catalog".equals(s.buildArg("SERVICE"))).toList();
    assertThat(catalogs).hasSizeGreaterThanOrEqualTo(2);
    for (ComposeService catalog : catalogs) {
      assertThat(catalog.environment()).as(catalog.name()).containsEntry("SURGE_CLUSTER_ENABLED", "true");
      assertThat(members).as("orders' cluster members").contains(catalog.environment().get("SURGE_CLUSTER_HOST"));
    }
    assertThat(orders.dependsOn()).containsEntry("catalog", "service_healthy")
      .containsEntry("postgres", "service_healthy").as("orders caches nothing: no Redis").doesNotContainKey("redis");
    assertThat(orders.environment()).doesNotContainKey("SURGE_REDIS_URL");
    assertThat(orders.environment().get("SURGE_PG_URL"))
      .isEqualTo(compose.service("catalog").environment().get("SURGE_PG_URL"));
  }
}
