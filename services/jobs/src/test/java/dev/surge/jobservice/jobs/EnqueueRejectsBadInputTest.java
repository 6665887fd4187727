package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class EnqueueRejectsBadInputTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @AfterEach
  void nothingWasStored() {
    assertThat(service.get("/jobs").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void anUnknownTypeIs400NamingTheKnownTypes() {
    var response = service.postJson("/jobs", new JsonObject().put("type", "mine.bitcoin"));
    Problems.assertProblem(response, 400, "validation-failed");
    assertThat(fieldError(response, "type")).contains("known types").contains("noop").contains("http.request");
  }

  @Test
  void argumentsTheTypeWouldRejectAre400WithTheirField() {
    var response = service.postJson("/jobs", new JsonObject().put("type", "sleep")
      .put("args", new JsonObject().put("ms", -5).put("colour", "blue")));
    Problems.assertProblem(response, 400, "validation-failed");
    assertThat(fieldError(response, "args.ms")).isEqualTo("must be at least 0");
    assertThat(fieldError(response, "args.colour")).isEqualTo("is not a known field");

    var notAnObject = service.postJson("/jobs", new JsonObject().put("type", "noop").put("args", "x"));
    assertThat(fieldError(notAnObject, "args")).isEqualTo("must be a JSON object");
  }

  @Test
  void optionsOutOfRangeAre400() {
    var response = service.postJson("/jobs", new JsonObject().put("type", "noop")
      .put("queue", "Bad Queue").put("priority", 10).put("runAt", "tomorrow").put("maxAttempts", 0)
      .put("timeout", "forever").put("uniqueKey", "").put("state", "completed").put("extra", 1));
    Problems.assertProblem(response, 400, "validation-failed");
    assertThat(fieldError(response, "queue")).startsWith("must be 1 to 40");
    assertThat(fieldError(response, "priority")).isEqualTo("must be at most 9");
    assertThat(fieldError(response, "runAt")).startsWith("must be an ISO 8601");
    assertThat(fieldError(response, "maxAttempts")).isEqualTo("must be at least 1");
    assertThat(fieldError(response, "timeout")).startsWith("must be milliseconds");
    assertThat(fieldError(response, "uniqueKey")).isEqualTo("must not be empty");
    assertThat(fieldError(response, "state")).isEqualTo("is read-only");
    assertThat(fieldError(response, "extra")).isEqualTo("is not a known field");
  }

  @Test
  void aRunAtOutsideTheYears1To9999Is400() {
    for (String runAt : new String[] {"+294277-01-05T00:00:00Z", "+300000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z"}) {
      var response = service.postJson("/jobs", new JsonObject().put("type", "noop").put("runAt", runAt));
      Problems.assertProblem(response, 400, "validation-failed");
      assertThat(fieldError(response, "runAt")).isEqualTo("must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
    }
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsRejected() {
    Problems.assertProblem(service.send(HttpMethod.POST, "/jobs",
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"), "[1,2"), 400, "malformed-json");
    Problems.assertProblem(service.send(HttpMethod.POST, "/jobs",
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain"), "noop"), 415, "unsupported-media-type");
    Problems.assertProblem(service.postJson("/jobs", new JsonObject()), 400, "validation-failed");
  }

  private static String fieldError(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> response,
                                   String field) {
    for (Object e : response.bodyAsJsonObject().getJsonArray("errors")) {
      JsonObject error = (JsonObject) e;
      if (field.equals(error.getString("field"))) {
        return error.getString("message");
      }
    }
    throw new AssertionError("no error for " + field + " in " + response.bodyAsString());
  }
}
