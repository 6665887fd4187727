package dev.surge.gateway;

import dev.surge.net.FreePorts;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Stand-in replicas on loopback behind the gateway: both balancing policies, retries, and streamed bodies. */
class BalancesAndRetriesOverReplicasTest {

  private static TestService gateway(String balancing, String... replicas) {
    // No ejection here, so every request takes its turn: EjectsAndReadmitsReplicasTest covers ejection.
    return Gateways.inFrontOf(String.join(",", replicas), Map.of("gateway.balancing", balancing,
      "gateway.ejectAfter", 1000));
  }

  private static String replicaOf(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.getHeader("X-Replica");
  }

  @Test
  void roundRobinTakesEachReplicaInTurn() {
    try (Replicas replicas = new Replicas(); TestService gateway = gateway("round-robin",
      replicas.start("a"), replicas.start("b"), replicas.start("c"))) {
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        seen.add(replicaOf(gateway.get("/api/catalog/who")));
      }
      assertThat(seen).containsExactly("a", "b", "c", "a", "b", "c");
    }
  }

  @Test
  void leastInFlightSendsNewRequestsAwayFromAReplicaStillBusy() {
    try (Replicas replicas = new Replicas(); TestService gateway = gateway("least-in-flight",
      replicas.start("slow"), replicas.start("quick"))) {
      Future<HttpResponse<Buffer>> busy = gateway.request(HttpMethod.GET, "/api/catalog/who?ms=1500").send();
      TestService.await(gateway.running().vertx().timer(200));
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        seen.add(replicaOf(gateway.get("/api/catalog/who")));
      }
      assertThat(replicaOf(await(busy))).isEqualTo("slow");
      assertThat(seen).containsOnly("quick");
    }
  }

  /** Four POSTs in turn: their statuses, each 502 a bad-gateway problem. */
  private static List<Integer> fourPosts(TestService gateway) {
    List<Integer> posts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      var post = gateway.send(HttpMethod.POST, "/api/catalog/who", MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "text/plain"), "x");
      posts.add(post.statusCode());
      if (post.statusCode() == 502) {
        Problems.assertProblem(post, 502, "bad-gateway");
      }
    }
    return posts;
  }

  @Test
  void aRequestWithoutBodyThatAReplicaBreaksOffIsSentToAnotherReplicaWhenIdempotentOnly() {
    try (Replicas replicas = new Replicas(); TestService gateway = gateway("round-robin", replicas.startBreakingOff(),
      replicas.start("up"))) {
      for (int i = 0; i < 4; i++) {
        assertThat(replicaOf(gateway.get("/api/catalog/who"))).isEqualTo("up");
        var delete = gateway.send(HttpMethod.DELETE, "/api/catalog/who", MultiMap.caseInsensitiveMultiMap(), "");
        assertThat(delete.getHeader("X-Replica")).as(delete.bodyAsString()).isEqualTo("up");
      }
      assertThat(fourPosts(gateway)).as("a POST is never sent twice: the one the replica broke off fails")
        .containsOnly(200, 502).contains(200, 502);
    }
  }

  @Test
  void aReplicaRefusingConnectionsIsSkippedForIdempotentRequestsOnly() {
    String closed = "127.0.0.1:" + FreePorts.pick();
    try (Replicas replicas = new Replicas(); TestService gateway = gateway("round-robin", closed, replicas.start("up"))) {
      for (int i = 0; i < 4; i++) {
        assertThat(replicaOf(gateway.get("/api/catalog/who"))).isEqualTo("up");
      }
      assertThat(fourPosts(gateway)).as("a POST is never sent twice: the one that drew the closed replica fails")
        .containsOnly(200, 502).contains(200, 502);
    }
  }

  @Test
  void aBodyFarOverTheGatewaysBodyLimitStreamsThroughToTheReplica() {
    try (Replicas replicas = new Replicas(); TestService gateway = gateway("round-robin", replicas.start("sink"))) {
      String body = "y".repeat(3 * 1024 * 1024);
      var response = gateway.send(HttpMethod.PUT, "/api/catalog/upload", MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/octet-stream"), body);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsString()).isEqualTo("sink " + body.length());
      assertThat(response.getHeader("X-Seen-Path")).isEqualTo("/upload");
    }
  }
}
