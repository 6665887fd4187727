package dev.surge.jobservice.http;

import dev.surge.jobservice.JobRuns;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRequestJobRejectsBadArgumentsTest {

  private static final Vertx vertx = Vertx.vertx();
  private static final HttpRequestJob type = new HttpRequestJob(vertx, new HttpRequestJobOptions());

  @AfterAll
  static void close() {
    TestService.await(vertx.close());
  }

  @Test
  void acceptsAFullRequest() {
    assertThat(errors(new JsonObject()
      .put("method", "POST")
      .put("url", "https://example.com:8443/hooks?x=1")
      .put("headers", new JsonObject().put("Content-Type", "application/json").put("X-Trace", "abc"))
      .put("body", "{\"hello\":true}"))).isEmpty();
  }

  @Test
  void refusesALoopbackUrl() {
    assertThat(errors(new JsonObject().put("url", "http://127.0.0.1/"))).containsOnlyKeys("url");
    assertThat(errors(new JsonObject().put("url", "http://127.0.0.1/")).get("url"))
      .contains("127.0.0.1 is a loopback address").contains("jobs.http.allowedHosts");
  }

  @Test
  void requiresTheUrl() {
    assertThat(errors(new JsonObject())).containsOnlyKeys("url");
  }

  @Test
  void rejectsUrlsThatAreNotAbsoluteHttpOrHttps() {
    assertThat(errors(new JsonObject().put("url", "file:///etc/passwd"))).containsOnlyKeys("url");
    assertThat(errors(new JsonObject().put("url", "ftp://example.com/file"))).containsOnlyKeys("url");
    assertThat(errors(new JsonObject().put("url", "/relative/path"))).containsOnlyKeys("url");
    assertThat(errors(new JsonObject().put("url", "example.com/no-scheme"))).containsOnlyKeys("url");
    assertThat(errors(new JsonObject().put("url", "http:///no-host"))).containsOnlyKeys("url");
    assertThat(errors(new JsonObject().put("url", "http://exa mple.com/"))).containsOnlyKeys("url");
    assertThat(errors(new JsonObject().put("url", "http://example.com/" + "a".repeat(2048)))).containsOnlyKeys("url");
    assertThat(errors(new JsonObject().put("url", 42))).containsOnlyKeys("url");
  }

  @Test
  void rejectsUnknownFields() {
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("timeout", 5)))
      .containsOnlyKeys("timeout");
  }

  @Test
  void rejectsAnUnknownMethod() {
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("method", "TRACE")))
      .containsOnlyKeys("method");
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("method", "get")))
      .containsOnlyKeys("method");
  }

  @Test
  void rejectsABodyOnAMethodWithoutOne() {
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("body", "x"))).containsOnlyKeys("body");
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("method", "DELETE").put("body", "x")))
      .containsOnlyKeys("body");
  }

  @Test
  void rejectsABodyOverOneMebibyte() {
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("method", "POST")
      .put("body", "é".repeat(600 * 1024)))).containsOnlyKeys("body");
  }

  @Test
  void rejectsBadHeaders() {
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("headers", "X-A: b")))
      .containsOnlyKeys("headers");
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("headers", new JsonObject().put("X-A", 1))))
      .containsOnlyKeys("headers.X-A");
    assertThat(errors(new JsonObject().put("url", "http://example.com/")
      .put("headers", new JsonObject().put("X-A", "b\r\nX-Injected: yes")))).containsOnlyKeys("headers.X-A");
    assertThat(errors(new JsonObject().put("url", "http://example.com/")
      .put("headers", new JsonObject().put("Bad Name", "b")))).containsOnlyKeys("headers.Bad Name");
    JsonObject many = new JsonObject();
    for (int i = 0; i < 51; i++) {
      many.put("X-H" + i, "v");
    }
    assertThat(errors(new JsonObject().put("url", "http://example.com/").put("headers", many)))
      .containsOnlyKeys("headers");
  }

  private static Map<String, String> errors(JsonObject args) {
    return JobRuns.fieldErrors(type, args);
  }
}
