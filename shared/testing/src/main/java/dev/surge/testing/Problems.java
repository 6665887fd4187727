package dev.surge.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on problem responses. */
public final class Problems {

  private Problems() {
  }

  /** Asserts the response is an RFC 9457 problem with this status and type slug, and returns its body. */
  public static JsonObject assertProblem(HttpResponse<Buffer> response, int status, String slug) {
    assertThat(response.statusCode()).as("status, body %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("type")).isEqualTo("https://surge.dev/problems/" + slug);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("requestId")).isEqualTo(response.getHeader("X-Request-Id"));
    assertThat(body.encode()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SELECT");
    return body;
  }
}
