package dev.surge.orders;

import dev.surge.ServiceDefinition;
import dev.surge.catalog.api.StockApi;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.TestService;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two catalog replicas in other nodes of the cluster, both registered and neither answering, as a replica cut off
 * or dead looks until the cluster drops it. The event bus gives each node its turn; orders asks again for an
 * unanswered reservation with two copies back to back, so every repeat reaches both replicas: while one is out of
 * reach, each repeat reaches the live one. With one copy a repeat, an order in a partition of one replica of two
 * now and then lost every toss in its 2 s (ops/compose-test.sh, docs/RELIABILITY.md).
 */
class AReservationAskedAgainReachesTwoReplicasTest {

  private static final LoopbackCluster CLUSTER = LoopbackCluster.of(3);
  /** Which replicas each attempt reached, by attempt. */
  private static final Map<Integer, Set<String>> reached = new TreeMap<>();
  private static TestService orders;
  private static TestService replicaA;
  private static TestService replicaB;

  /** A replica of the catalog's stock API that notes what reaches it and never answers. */
  private static ServiceDefinition silentReplica(String name) {
    Handler<Message<Object>> reserve = message -> {
      int attempt = Integer.parseInt(message.headers().get(StockApi.ATTEMPT));
      synchronized (reached) {
        reached.computeIfAbsent(attempt, a -> new ConcurrentSkipListSet<>()).add(name);
      }
    };
    return ServiceDefinition.builder(name).defaultPort(0)
      .http(context -> router -> router.get("/").handler(rc -> rc.end(name)))
      .eventBus(context -> () -> Map.of(StockApi.RESERVE, reserve))
      .build();
  }

  @BeforeAll
  static void start() {
    replicaA = TestService.start(silentReplica("replica-a"), CLUSTER.member(0, Map.of()));
    replicaB = TestService.start(silentReplica("replica-b"), CLUSTER.member(1, Map.of()));
    orders = TestService.start(OrdersMain.definition(), CLUSTER.member(2, Platform.FAST));
  }

  @AfterAll
  static void stop() {
    orders.close();
    replicaB.close();
    replicaA.close();
  }

  @Test
  void everyRepeatOfAnUnansweredReservationReachesBothReplicas() {
    var response = orders.send(HttpMethod.POST, "/orders",
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Idempotency-Key", "two-replicas"),
      Platform.order("ines", 3, 1).encode());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(503);
    synchronized (reached) {
      assertThat(reached).as("attempts").containsKeys(1, 2, 3);
      assertThat(reached.get(1)).as("the first attempt: one copy, one replica").hasSize(1);
      reached.forEach((attempt, replicas) -> {
        if (attempt > 1) {
          assertThat(replicas).as("replicas attempt %d reached", attempt).containsExactlyInAnyOrder("replica-a", "replica-b");
        }
      });
    }
  }
}
