package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Every error a client can provoke comes back as application/problem+json, never a 500 or a stack trace. */
class ProblemResponsesTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(EchoService.definition(), Map.of("http.maxBodySize", "1KiB", "http.maxHeaders", 20,
      "http.maxInitialLineLength", 1024, "http.maxHeaderSize", 2048));


  @Test
  void unknownRouteIs404Problem() {
    JsonObject body = assertProblem(service.get("/nothing/here"), 404, "not-found");
    assertThat(body.getString("instance")).isEqualTo("/nothing/here");
  }

  @Test
  void wrongMethodIs405WithAllow() {
    HttpResponse<Buffer> response = service.send(HttpMethod.DELETE, "/echo/7", MultiMap.caseInsensitiveMultiMap(), null);
    assertProblem(response, 405, "method-not-allowed");
    assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void malformedJsonIs400() {
    assertProblem(service.send(HttpMethod.POST, "/echo", json(), "{\"name\": "), 400, "malformed-json");
    assertProblem(service.send(HttpMethod.POST, "/echo", json(), "[1,2]"), 400, "malformed-json");
    assertProblem(service.send(HttpMethod.POST, "/echo", json(), ""), 400, "malformed-json");
  }

  @Test
  void wrongContentTypeIs415() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain");
    assertProblem(service.send(HttpMethod.POST, "/echo", headers, "{\"name\":\"x\"}"), 415, "unsupported-media-type");
  }

  @Test
  void aNulCharacterInAStringIsAFieldError() {
    JsonObject body = assertProblem(service.send(HttpMethod.POST, "/echo", json(), "{\"name\": \"a\\u0000b\"}"), 400,
      "validation-failed");
    assertThat(body.getJsonArray("errors").encode())
      .contains("{\"field\":\"name\",\"message\":\"must not contain NUL characters\"}");
  }

  @Test
  void halfASurrogatePairAnywhereInTheBodyIsMalformedJson() {
    // Stored, it would come back as "?": refused before any field is read, in a name or a nested value too.
    for (String body : new String[] {"{\"name\": \"x\\ud800\"}", "{\"name\": \"\\udc00x\"}",
      "{\"name\": \"ok\", \"tags\": [{\"\\ud83d\": 1}]}"}) {
      JsonObject problem = assertProblem(service.send(HttpMethod.POST, "/echo", json(), body), 400, "malformed-json");
      assertThat(problem.getString("detail")).contains("surrogate");
    }
    HttpResponse<Buffer> paired = service.send(HttpMethod.POST, "/echo", json(), "{\"name\": \"\\ud83d\\ude00\"}");
    assertThat(paired.statusCode()).isEqualTo(201);
    assertThat(paired.bodyAsJsonObject().getString("name")).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void invalidFieldsAreListed() {
    JsonObject body = assertProblem(service.send(HttpMethod.POST, "/echo", json(), "{\"name\": 5, \"age\": 3}"), 400,
      "validation-failed");
    assertThat(body.getJsonArray("errors").encode())
      .contains("{\"field\":\"name\",\"message\":\"must be a string\"}")
      .contains("{\"field\":\"age\",\"message\":\"is not a known field\"}");
  }

  @Test
  void aValidBodyIsAccepted() {
    HttpResponse<Buffer> response = service.send(HttpMethod.POST, "/echo", json(), "{\"name\":\"ok\"}");
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject().getString("name")).isEqualTo("ok");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"name\":\"" + "x".repeat(2000) + "\"}";
    assertProblem(service.send(HttpMethod.POST, "/echo", json(), big), 413, "payload-too-large");
  }

  @Test
  void requestLineOverTheLimitIs414() {
    HttpResponse<Buffer> response = service.get("/echo/" + "a".repeat(2000));
    assertThat(response.statusCode()).isEqualTo(414);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("https://surge.dev/problems/uri-too-long");
  }

  @Test
  void headersOverTheSizeLimitAre431() {
    HttpResponse<Buffer> response = service.get("/echo/1", MultiMap.caseInsensitiveMultiMap().add("X-Big", "b".repeat(4000)));
    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("https://surge.dev/problems/headers-too-large");
  }

  @Test
  void tooManyHeadersAre431() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < 30; i++) {
      headers.add("X-H" + i, "v");
    }
    assertProblem(service.get("/echo/1", headers), 431, "headers-too-large");
  }

  @Test
  void anUnexpectedErrorIs500WithoutInternals() {
    JsonObject body = assertProblem(service.get("/boom"), 500, "internal-error");
    assertThat(body.encode()).doesNotContain("secret internal detail").doesNotContain("IllegalState");
  }

  @Test
  void aSaneCallerRequestIdIsKeptAndAnInsaneOneReplaced() {
    HttpResponse<Buffer> kept = service.get("/echo/1", MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "abc-123"));
    assertThat(kept.getHeader("X-Request-Id")).isEqualTo("abc-123");
    HttpResponse<Buffer> replaced = service.get("/echo/1",
      MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "<script>alert(1)</script>"));
    assertThat(replaced.getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
    assertThat(service.get("/echo/1").getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
  }

  private static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
  }
}
