package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.RawHttp;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Vert.x refuses before any route of ours runs (no or a bad Host, a target that is not a path, a request line
 * or headers over the limits, bytes that are not HTTP) still gets a problem with a request id.
 */
class RequestsRefusedBeforeRoutingAreProblemsTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(EchoService.definition(),
    Map.of("http.maxInitialLineLength", 1024, "http.maxHeaderSize", 2048));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "no Host | GET /echo/1 HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n | 400 | bad-request",
    "a bad Host | GET /echo/1 HTTP/1.1\\r\\nHost: a b\\r\\nConnection: close\\r\\n\\r\\n | 400 | bad-request",
    "two Hosts | GET /echo/1 HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\nConnection: close\\r\\n\\r\\n | 400 | bad-request",
    "asterisk form | GET * HTTP/1.1\\r\\nHost: a\\r\\nConnection: close\\r\\n\\r\\n | 404 | not-found",
    "no leading slash | GET echo/1 HTTP/1.1\\r\\nHost: a\\r\\nConnection: close\\r\\n\\r\\n | 404 | not-found",
    "not HTTP | HELLO\\r\\n\\r\\n | 400 | bad-request",
    "a space in a header name | GET /echo/1 HTTP/1.1\\r\\nHost: a\\r\\nBad Name: v\\r\\n\\r\\n | 400 | bad-request",
  })
  void isAProblemWithARequestId(String what, String request, int status, String slug) {
    RawHttp.Response response = RawHttp.send(service.port(), request.replace("\\r\\n", "\r\n")); // CRLF in CSV

    assertThat(response.status()).as("%s: %s", what, response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.json();
    assertThat(problem.getString("type")).isEqualTo("https://surge.dev/problems/" + slug);
    assertThat(problem.getString("requestId")).isNotBlank().isEqualTo(response.header("X-Request-Id"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"2000, 0, 414, uri-too-long", "10, 4000, 431, headers-too-large"})
  void overTheLimitsIsAProblemWithARequestId(int pathLength, int headerLength, int status, String slug) {
    RawHttp.Response response = RawHttp.send(service.port(), "GET /echo/" + "a".repeat(pathLength)
      + " HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(headerLength) + "\r\nConnection: close\r\n\r\n");

    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.json().getString("type")).isEqualTo("https://surge.dev/problems/" + slug);
    assertThat(response.json().getString("requestId")).isNotBlank().isEqualTo(response.header("X-Request-Id"));
  }
}
