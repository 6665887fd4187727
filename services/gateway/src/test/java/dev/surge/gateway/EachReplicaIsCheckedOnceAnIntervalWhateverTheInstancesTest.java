package dev.surge.gateway;

import dev.surge.net.FreePorts;
import dev.surge.testing.TestService;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway checks each replica's readiness once an interval for the whole process, however many HTTP instances it
 * runs: each instance used to check every replica itself, so the admin API's 1,024 instances sent every replica
 * some 650 checks a second. Every instance still hears what the checks find (a replica not ready gets requests from
 * none of them), and the checks go on when the instances that started them are gone.
 */
class EachReplicaIsCheckedOnceAnIntervalWhateverTheInstancesTest {

  private static final long INTERVAL_MS = 100;

  @Test
  void eightInstancesCheckAReplicaAsOftenAsOneAndEachHearsWhatTheChecksFind() throws Exception {
    int adminPort = FreePorts.pick();
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(
      replicas.start("a") + "," + replicas.start("b"), new HashMap<>(Map.of("http.instances", 8,
        "gateway.healthInterval", INTERVAL_MS + "ms", "admin.port", adminPort, "shutdown.grace", "1s")))) {
      assertChecksPerInterval(replicas, 2);
      assertOnlyReadyReplicaAnswers(gateway, replicas);

      assertThat(Gateways.scale(gateway, adminPort, 2)).as("scaled down to two instances").isEqualTo(200);
      assertChecksPerInterval(replicas, 2);
      assertOnlyReadyReplicaAnswers(gateway, replicas);
    }
  }

  /** Over 2 s, about one check an interval of each of {@code replicas} replicas: eight instances would send eight. */
  private static void assertChecksPerInterval(Replicas replicas, int count) throws InterruptedException {
    long before = replicas.checks();
    Thread.sleep(2_000);
    long checks = replicas.checks() - before;
    long intervals = 2_000 / INTERVAL_MS;
    assertThat(checks).as("checks of %d replicas in %d intervals", count, intervals)
      .isPositive().isLessThanOrEqualTo(count * (intervals + 2) * 3 / 2);
  }

  /** "a" not ready: every instance's next requests (each on a new connection, so spread over them) go to "b". */
  private static void assertOnlyReadyReplicaAnswers(TestService gateway, Replicas replicas) throws InterruptedException {
    replicas.ready("a", false);
    try {
      Thread.sleep(4 * INTERVAL_MS);
      HttpClient fresh = gateway.running().context().vertx().createHttpClient(new HttpClientOptions().setKeepAlive(false));
      List<String> answered = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        answered.add(await(fresh.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/api/catalog/who")
          .compose(r -> r.send()).compose(r -> r.body().map(b -> r.getHeader("X-Replica")))));
      }
      await(fresh.close());
      assertThat(answered).as("the replicas that answered, a not ready").containsOnly("b");
    } finally {
      replicas.ready("a", true);
    }
  }
}
