package dev.surge.standalone.containers;

import dev.surge.config.ChassisKeys;
import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services compose clusters form one cluster, and they are those built with it (the gateway, which talks HTTP
 * only, carries no cluster and is not told to join): every member's list names every clustered service at the
 * address and port it listens on (Hazelcast joins only the members it is told of), each binds the cluster's ports to
 * its own address on the network cluster, which no other service joins, and all share one cluster name and a fixed
 * event-bus port.
 */
class ComposeClusterListsEveryClusteredServiceTest {

  @Test
  void everyMemberListNamesEveryClusteredServiceAtItsNameAndPort() throws Exception {
    Map<String, Map<String, String>> clustered = new LinkedHashMap<>();
    for (ComposeService service : ComposeFile.read().surgeServices()) {
      Map<String, String> environment = service.environment();
      boolean enabled = Boolean.parseBoolean(environment.get(ChassisKeys.CLUSTER_ENABLED.envName()));
      if (enabled) {
        clustered.put(service.name(), environment);
      }
      String module = service.buildArg("SERVICE");
      assertThat(enabled).as(service.name() + (ServiceModules.canCluster(module)
          ? " runs " + module + ", which talks over the event bus: it joins the cluster"
          : " runs " + module + ", built without the cluster: told to join, it would not start"))
        .isEqualTo(ServiceModules.canCluster(module));
    }
    assertThat(clustered).as("the clustered services").containsOnlyKeys("catalog", "catalog-2", "orders", "orders-2", "jobs", "jobs-2");
    Set<String> everyMember = clustered.entrySet().stream().map(e -> e.getValue().get(
        ChassisKeys.CLUSTER_HOST.envName()) + ":" + e.getValue()
        .getOrDefault(ChassisKeys.CLUSTER_PORT.envName(), String.valueOf(ChassisKeys.CLUSTER_PORT.defaultValue())))
      .collect(Collectors.toSet());
    String clusterName = clustered.get("catalog").get(ChassisKeys.CLUSTER_NAME.envName());
    ComposeFile compose = ComposeFile.read();
    clustered.forEach((name, environment) -> {
      String members = environment.getOrDefault(ChassisKeys.CLUSTER_MEMBERS.envName(), "");
      assertThat(Arrays.stream(members.split(",")).map(String::trim))
        .as(name + " lists every member at its cluster port").containsExactlyInAnyOrderElementsOf(everyMember);
      assertThat(environment.get(ChassisKeys.CLUSTER_HOST.envName()))
        .as(name + " binds the cluster's ports to its own address on the network cluster, and nowhere else")
        .isNotNull().isEqualTo(compose.service(name).ipv4("cluster"));
      assertThat(environment).as(name + ": the others reach it where it binds")
        .doesNotContainKey(ChassisKeys.CLUSTER_PUBLIC_HOST.envName());
      assertThat(environment.get(ChassisKeys.CLUSTER_NAME.envName())).as(name + "'s cluster").isEqualTo(clusterName);
      assertThat(environment.getOrDefault(ChassisKeys.CLUSTER_EVENT_BUS_PORT.envName(),
        String.valueOf(ChassisKeys.CLUSTER_EVENT_BUS_PORT.defaultValue())))
        .as(name + ": a fixed event-bus port, that the others can be told").isNotEqualTo("0");
    });
  }

  @Test
  void onlyTheClusteredServicesJoinTheClustersNetworkWhichIsInternal() throws Exception {
    ComposeFile compose = ComposeFile.read();
    assertThat(compose.services().entrySet().stream()
      .filter(e -> e.getValue().get("networks") instanceof Map<?, ?> networks && networks.containsKey("cluster"))
      .map(Map.Entry::getKey))
      .as("the services on the network cluster, where Hazelcast's unauthenticated port is reached")
      .containsExactlyInAnyOrder("catalog", "catalog-2", "orders", "orders-2", "jobs", "jobs-2");
    assertThat(compose.network("cluster")).as("the network cluster").isNotNull()
      .containsEntry("internal", true);
  }
}
