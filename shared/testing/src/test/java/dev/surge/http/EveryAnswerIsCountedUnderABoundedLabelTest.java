package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server's meters count every answer, those refused before a route or by Vert.x's decoder too, each under
 * its method, status and route template; the labels a client can choose stay a bounded set.
 */
class EveryAnswerIsCountedUnderABoundedLabelTest {

  private static final String REQUESTS = "vertx_http_server_requests_total";
  private static final String TIMES = "vertx_http_server_response_time_seconds_count";

  @RegisterExtension
  static final TestService service = TestService.perClass(EchoService.definition());

  @Test
  void anAnswerIsCountedAndTimedUnderItsRouteTemplate() {
    double before = count(REQUESTS, "route=\"/echo/:id\"", "code=\"200\"", "method=\"GET\"");
    double timedBefore = count(TIMES, "route=\"/echo/:id\"", "code=\"200\"");
    service.get("/echo/1");
    service.get("/echo/2");
    awaitCount(before + 2, REQUESTS, "route=\"/echo/:id\"", "code=\"200\"", "method=\"GET\"");
    awaitCount(timedBefore + 2, TIMES, "route=\"/echo/:id\"", "code=\"200\"");
  }

  /** The path's mark is letters: a number ("4711" was) turned up in a scrape's figures once (a CI run). */
  @Test
  void aPathNoRouteServesIsCountedAsUnmatchedNotByItsPath() {
    double before = count(REQUESTS, "route=\"unmatched\"", "code=\"404\"");
    assertThat(service.get("/no-such-route-qzxvk").statusCode()).isEqualTo(404);
    awaitCount(before + 1, REQUESTS, "route=\"unmatched\"", "code=\"404\"");
    assertThat(service.get("/metrics").bodyAsString()).doesNotContain("qzxvk");
  }

  @Test
  void aRefusedMethodIsCountedUnderTheRouteItWasSentTo() {
    double before = count(REQUESTS, "route=\"/echo/:id\"", "code=\"405\"", "method=\"DELETE\"");
    assertThat(service.send(HttpMethod.DELETE, "/echo/1", MultiMap.caseInsensitiveMultiMap(), null).statusCode())
      .isEqualTo(405);
    awaitCount(before + 1, REQUESTS, "route=\"/echo/:id\"", "code=\"405\"", "method=\"DELETE\"");
  }

  @Test
  void aMadeUpMethodIsCountedAsOtherNotUnderALabelOfItsOwn() {
    double before = count(REQUESTS, "method=\"OTHER\"");
    for (int i = 0; i < 3; i++) {
      service.send(HttpMethod.valueOf("MADEUP" + i), "/echo/1", MultiMap.caseInsensitiveMultiMap(), null);
    }
    awaitCount(before + 3, REQUESTS, "method=\"OTHER\"");
    assertThat(service.get("/metrics").bodyAsString()).doesNotContain("MADEUP");
  }

  @Test
  void aRequestThatIsNotValidHttpIsCounted() throws Exception {
    double before = count(REQUESTS, "route=\"unmatched\"", "code=\"400\"");
    String response = service.raw("GET /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon in this header\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400 ");
    awaitCount(before + 1, REQUESTS, "route=\"unmatched\"", "code=\"400\"");
  }

  /**
   * Read on connections of their own, each closed by the service after its answer: through the tests' client, a
   * kept-alive connection it opened anew between two reads (its last one closed) counted as one more for good (a CI
   * run: the count never came down). Here no read leaves a connection open.
   */
  @Test
  void anOpenConnectionIsCountedUntilItCloses() throws Exception {
    String connections = "vertx_http_server_active_connections";
    double before = rawCount(connections);
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      MetricsScrape.awaitAtLeast(() -> rawCount(connections), "connections", before + 1);
    }
    MetricsScrape.awaitAtLeast(() -> before + 1 - rawCount(connections), "closed", 1);
  }

  private static double rawCount(String name) {
    try { // HTTP/1.0: the body comes whole, not in chunks whose sizes would split its lines
      return MetricsScrape.sum(service.raw("GET /metrics HTTP/1.0\r\n\r\n"), name);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits for the count (an answer is counted as it ends, which its client may see first), then asserts it. */
  private static void awaitCount(double expected, String name, String... labels) {
    MetricsScrape.awaitAtLeast(() -> count(name, labels), name, expected);
    assertThat(count(name, labels)).as(name).isEqualTo(expected);
  }

  private static double count(String name, String... labels) {
    return MetricsScrape.sum(service.get("/metrics").bodyAsString(), name, labels);
  }
}
