package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.HttpDates;
import dev.surge.testing.RawHttp;
import dev.surge.testing.TestService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9110 §6.6.1: an origin server with a clock sends {@code Date} on every response, as IMF-fixdate. The chassis
 * does it for every service, its routes' answers and its own (problems, 404, 405, HEAD, probes, requests Vert.x
 * refuses before routing).
 */
class EveryResponseCarriesADateTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(EchoService.definition(),
    Map.of("http.maxInitialLineLength", 1024));

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "GET, /echo/1, 200",
    "HEAD, /echo/1, 200",
    "GET, /health/live, 200",
    "GET, /health/ready, 200",
    "GET, /metrics, 200",
    "GET, /nothing/here, 404",
    "GET, *, 404",
    "DELETE, /echo/1, 405",
    "POST, /echo, 415",
    "GET, /boom, 500",
    "GET, /echo/%, 400",
  })
  void everyAnswerHasOneImfFixdate(String method, String target, int status) {
    assertDated(RawHttp.request(service.port(), method, target), status);
  }

  @org.junit.jupiter.api.Test
  void requestsRefusedBeforeRoutingToo() {
    assertDated(RawHttp.request(service.port(), "GET", "/echo/" + "a".repeat(2000)), 414);
    assertDated(RawHttp.send(service.port(), "GET /echo/1 HTTP/1.1\r\nConnection: close\r\n\r\n"), 400);
  }

  static void assertDated(RawHttp.Response response, int status) {
    assertThat(response.status()).as("status, body %s", response.body()).isEqualTo(status);
    HttpDates.assertOneImfFixdate(response.all("Date"));
  }
}
