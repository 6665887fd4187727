package dev.surge.gateway;

import dev.surge.testing.RawHttp;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hang up, mid-request or mid-body, and a body so slow the service gives up on it, are the clients'
 * doing: they neither open the service's circuit breaker nor eject its replica. A replica that resets the
 * connection does both.
 */
class OnlyTheUpstreamsOwnFailuresCountAgainstItTest {

  private static final int CLIENTS = 6;
  private static final Map<String, Object> TOUCHY = Map.of("gateway.breakerFailures", 2, "gateway.ejectAfter", 2,
    "gateway.breakerOpenFor", "10m", "gateway.ejectFor", "10m", "gateway.healthInterval", "10m");

  @Test
  void clientsThatHangUpMidRequestNeitherOpenTheBreakerNorEjectTheReplica() throws IOException {
    assertHangingUpDoesNotCount("GET /api/catalog/who?ms=60000 HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }

  @Test
  void clientsThatHangUpMidBodyNeitherOpenTheBreakerNorEjectTheReplica() throws IOException {
    assertHangingUpDoesNotCount("POST /api/catalog/upload HTTP/1.1\r\nHost: localhost\r\n"
      + "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(10_000));
  }

  /** Clients send {@code head}, wait until the replica has their request, and hang up. */
  private static void assertHangingUpDoesNotCount(String head) throws IOException {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("fine"), TOUCHY)) {
      for (int i = 1; i <= CLIENTS; i++) {
        try (Socket client = RawHttp.open(gateway.port(), head)) {
          awaitAtLeast(i, replicas::requests, "the replica has the request");
        }
      }
      awaitAtLeast(CLIENTS, () -> requestsCounted(gateway, ""), "the gateway has seen every client go");

      assertThat(gateway.get("/api/catalog/who").statusCode()).as("the breaker is closed").isEqualTo(200);
      assertThat(replicaAvailable(gateway)).as("the replica is not ejected").isTrue();
    }
  }

  @ParameterizedTest(name = "{1} on /{0}")
  @CsvSource({"busy, 503", "unknown, 504"})
  void aServicesOwn503Or504WithRetryAfterIsPassedOnAndDoesNotCount(String path, int status) {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("full"), TOUCHY)) {
      for (int i = 1; i <= CLIENTS; i++) {
        var answer = gateway.get("/api/catalog/" + path);
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.getHeader("X-Replica")).as("the service's own answer, each time").isEqualTo("full");
        assertThat(answer.getHeader("Retry-After")).isEqualTo("1");
      }
      awaitAtLeast(CLIENTS, () -> requestsCounted(gateway, ""), "the gateway has counted every answer");

      assertThat(gateway.get("/api/catalog/who").statusCode()).as("the breaker is closed").isEqualTo(200);
      assertThat(replicaAvailable(gateway)).as("the replica is not ejected").isTrue();
    }
  }

  @Test
  void aBodyTooSlowForTheServiceWhichAnswers503DoesNotCount() throws IOException {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("strict"), TOUCHY)) {
      for (int i = 1; i <= CLIENTS; i++) {
        try (Socket client = RawHttp.open(gateway.port(), "POST /api/catalog/early503 HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000))) {
          RawHttp.Response answer = RawHttp.read(client);
          assertThat(answer.status()).isEqualTo(503);
          assertThat(answer.header("X-Replica")).as("the service's own 503").isEqualTo("strict");
        }
      }
      awaitAtLeast(CLIENTS, () -> requestsCounted(gateway, ""), "the gateway has counted every answer");

      assertThat(gateway.get("/api/catalog/who").statusCode()).as("the breaker is closed").isEqualTo(200);
      assertThat(replicaAvailable(gateway)).as("the replica is not ejected").isTrue();
    }
  }

  @Test
  void aReplicaThatResetsTheConnectionOpensTheBreakerAndIsEjected() {
    try (Replicas replicas = new Replicas();
         TestService gateway = Gateways.inFrontOf(replicas.startResetting(), TOUCHY)) {
      Problems.assertProblem(gateway.get("/api/catalog/who"), 502, "bad-gateway");
      Problems.assertProblem(gateway.get("/api/catalog/who"), 502, "bad-gateway");
      awaitAtLeast(2, () -> requestsCounted(gateway, "5xx"), "the gateway has counted both");
      // Both counted against the replica (it is ejected) and so against the breaker, whose count may trail the
      // request's end by a turn of the event loop: CI once sent the next request in between.
      awaitAtLeast(1, () -> replicaAvailable(gateway) ? 0 : 1, "the replica is ejected");

      Problems.assertProblem(gateway.get("/api/catalog/who"), 503, "upstream-unavailable");
    }
  }

  /** Waits (without asserting how long it takes) until {@code count} reaches {@code expected}. */
  private static void awaitAtLeast(long expected, LongSupplier count, String what) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (count.getAsLong() < expected) {
      assertThat(System.nanoTime() - deadline).as("%s (%d of %d)", what, count.getAsLong(), expected).isNegative();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Requests to the catalog the gateway is done with, of a status class ("" for all). */
  private static long requestsCounted(TestService gateway, String status) {
    Matcher m = Pattern.compile("surge_gateway_requests_seconds_count\\{[^}]*status=\"" + status
      + "[^}]*upstream=\"catalog\"[^}]*} (\\d+)").matcher(gateway.get("/metrics").bodyAsString());
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  private static boolean replicaAvailable(TestService gateway) {
    Matcher m = Pattern.compile("surge_gateway_replica_available\\{[^}]*upstream=\"catalog\"[^}]*} (\\S+)")
      .matcher(gateway.get("/metrics").bodyAsString());
    assertThat(m.find()).isTrue();
    return Double.parseDouble(m.group(1)) == 1.0;
  }
}
