package dev.surge.orders.runtime;

import dev.surge.config.ConfigKey;
import dev.surge.orders.OrdersMain;
import dev.surge.testing.ComposeFile;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose file, read as Docker would (no Docker engine runs the tests): every service joins one cluster, orders
 * and both catalog replicas among them, each listed in every member's list at the port it listens on, and
 * reachable at its service name.
 */
class ComposeClustersOrdersWithTheCatalogReplicasTest {

  @Test
  @SuppressWarnings("unchecked")
  void ordersAndBothCatalogReplicasFormOneClusterOnTheComposeNetwork() throws Exception {
    ComposeFile compose = ComposeFile.read();
    Map<String, Map<String, Object>> services = compose.services();
    assertThat(services).containsKeys("catalog", "catalog-2", "orders");

    Map<String, Map<String, Object>> clustered = new LinkedHashMap<>();
    services.forEach((name, service) -> {
      Map<String, Object> environment = (Map<String, Object>) service.get("environment");
      if (environment != null && "true".equals(String.valueOf(environment.get("SURGE_CLUSTER_ENABLED")))) {
        clustered.put(name, environment);
      }
    });
    assertThat(clustered).containsOnlyKeys("catalog", "catalog-2", "orders", "jobs", "gateway");
    Set<String> everyMember = clustered.entrySet().stream()
      .map(e -> e.getKey() + ":" + e.getValue().get("SURGE_CLUSTER_PORT")).collect(Collectors.toSet());
    clustered.forEach((name, environment) -> {
      assertThat(Arrays.stream(environment.get("SURGE_CLUSTER_MEMBERS").toString().split(",")).map(String::trim))
        .as(name + " lists every member at its cluster port").containsExactlyInAnyOrderElementsOf(everyMember);
      assertThat(environment.get("SURGE_CLUSTER_PUBLIC_HOST")).as(name + " is reached at its service name")
        .isEqualTo(name);
      assertThat(environment.get("SURGE_CLUSTER_EVENT_BUS_PORT").toString()).as("a fixed event-bus port").isNotEqualTo("0");
      assertThat(environment.get("SURGE_CLUSTER_NAME")).isEqualTo(clustered.get("orders").get("SURGE_CLUSTER_NAME"));
    });

    Map<String, Object> orders = services.get("orders");
    assertThat(((Map<String, Object>) orders.get("build")).get("dockerfile")).isEqualTo("services/orders/Dockerfile");
    assertThat(orders.get("healthcheck").toString()).contains("/health/ready").contains(":8084/");
    Map<String, Object> dependsOn = (Map<String, Object>) orders.get("depends_on");
    assertThat(dependsOn).containsKeys("postgres", "redis", "catalog");
    dependsOn.values().forEach(v -> assertThat(v.toString()).contains("service_healthy"));
    Set<String> known = OrdersMain.definition().configKeys().stream().map(ConfigKey::envName)
      .collect(Collectors.toSet());
    assertThat(known).as("every SURGE_ variable is a configuration key")
      .containsAll(((Map<String, Object>) orders.get("environment")).keySet());
    assertThat(orders.get("ports")).as("not published: reached through the gateway only").isNull();
  }
}
