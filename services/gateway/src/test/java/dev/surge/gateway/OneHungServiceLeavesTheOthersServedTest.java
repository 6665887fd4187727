package dev.surge.gateway;

import dev.surge.testing.RawHttp;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that accepts connections and never answers holds at most its own share of the gateway
 * (gateway.maxInFlightPerService): requests beyond it are 503 {@code upstream-busy} at once, a request that finds
 * no connection to it free within gateway.poolWait too, and the other services are answered as ever.
 */
class OneHungServiceLeavesTheOthersServedTest {

  @Test
  void whileTheCatalogHangsJobsAndOrdersAreStillAnswered() throws Exception {
    Map<String, Object> config = new HashMap<>(Map.of("http.maxInFlight", 8, "http.maxQueued", 0,
      "gateway.maxInFlightPerService", 4, "gateway.connectionsPerReplica", 2, "gateway.timeout", "1h",
      "gateway.poolWait", "1m", "gateway.healthInterval", "10m"));
    try (Replicas replicas = new Replicas(); ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
      config.put("gateway.upstreams.jobs", replicas.start("jobs"));
      config.put("gateway.upstreams.orders", replicas.start("orders"));
      try (TestService gateway = Gateways.inFrontOf(replicas.startHung(), config)) {
        List<Socket> clients = new ArrayList<>();
        List<CompletableFuture<RawHttp.Response>> answers = new ArrayList<>();
        try {
          for (int i = 0; i < 12; i++) {
            Socket client = RawHttp.open(gateway.port(), "GET /api/catalog/products HTTP/1.1\r\nHost: x\r\n\r\n");
            clients.add(client);
            answers.add(CompletableFuture.supplyAsync(() -> RawHttp.read(client), readers));
          }
          // Four held (two on the hung replica's connections, two waiting for one); the other eight turned away.
          long deadline = System.nanoTime() + 30_000_000_000L;
          while (answers.stream().filter(CompletableFuture::isDone).count() < 8) {
            assertThat(System.nanoTime() - deadline).as("answered: %s", answers.stream()
              .filter(CompletableFuture::isDone).map(CompletableFuture::join).toList()).isNegative();
            Thread.sleep(20);
          }
          for (CompletableFuture<RawHttp.Response> done : answers.stream().filter(CompletableFuture::isDone).toList()) {
            RawHttp.Response busy = done.join();
            assertThat(busy.status()).as(busy.body()).isEqualTo(503);
            assertThat(new JsonObject(busy.body()).getString("type")).endsWith("/upstream-busy");
            assertThat(busy.header("Retry-After")).isNotBlank();
          }

          var jobs = gateway.get("/api/jobs/queues");
          assertThat(jobs.statusCode()).as(jobs.bodyAsString()).isEqualTo(200);
          assertThat(jobs.getHeader("X-Replica")).isEqualTo("jobs");
          var orders = gateway.get("/api/orders/orders/1");
          assertThat(orders.statusCode()).as(orders.bodyAsString()).isEqualTo(200);
          assertThat(orders.getHeader("X-Replica")).isEqualTo("orders");
          assertThat(replicas.connections()).as("the hung replica's connections").isEqualTo(2);
          assertThat(gateway.get("/metrics").bodyAsString())
            .containsPattern("surge_gateway_busy_total\\{[^}]*upstream=\"catalog\"[^}]*} 8\\.0");
        } finally {
          for (Socket client : clients) {
            close(client);
          }
        }
      }
    }
  }

  @Test
  void aRequestThatFindsNoConnectionFreeInTimeIsA503() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.startHung(), Map.of(
      "gateway.connectionsPerReplica", 1, "gateway.poolWait", "200ms", "gateway.timeout", "1h",
      "gateway.healthInterval", "10m"))) {
      try (Socket holder = RawHttp.open(gateway.port(), "GET /api/catalog/products HTTP/1.1\r\nHost: x\r\n\r\n")) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (replicas.connections() < 1) {
          assertThat(System.nanoTime() - deadline).as("the hung replica has the first request").isNegative();
          Thread.sleep(20);
        }
        var waited = gateway.get("/api/catalog/products/7");
        var problem = Problems.assertProblem(waited, 503, "upstream-busy");
        assertThat(problem.getString("detail")).contains("catalog").contains("200 ms");
        assertThat(waited.getHeader("Retry-After")).isNotBlank();
      }
    }
  }

  @Test
  void anIdempotentRequestThatFindsOneReplicaBusyIsServedByAnother() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(
      replicas.startHung() + "," + replicas.start("catalog-b"), Map.of("gateway.connectionsPerReplica", 1,
        "gateway.poolWait", "200ms", "gateway.timeout", "1h", "gateway.healthInterval", "10m"))) {
      List<Socket> holders = new ArrayList<>();
      try {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (replicas.connections() < 1) { // until the hung replica holds its one connection
          assertThat(System.nanoTime() - deadline).as("the hung replica has a request").isNegative();
          holders.add(RawHttp.open(gateway.port(), "GET /api/catalog/products HTTP/1.1\r\nHost: x\r\n\r\n"));
          Thread.sleep(50);
        }
        for (int i = 0; i < 4; i++) {
          var answer = gateway.get("/api/catalog/products/" + i);
          assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
          assertThat(answer.getHeader("X-Replica")).isEqualTo("catalog-b");
        }
      } finally {
        holders.forEach(OneHungServiceLeavesTheOthersServedTest::close);
      }
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
