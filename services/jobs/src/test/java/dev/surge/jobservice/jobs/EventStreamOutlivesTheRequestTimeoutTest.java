package dev.surge.jobservice.jobs;

import dev.surge.jobservice.JobsMain;
import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code http.requestTimeout} answers slow requests with 503, but an event stream lasts as long as its job. */
class EventStreamOutlivesTheRequestTimeoutTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(JobsMain.definition(), Map.of(
    "http.requestTimeout", "300ms", "jobs.pollInterval", "100ms", "jobs.dataDir", tempDir()));

  @Test
  void aStreamLongerThanTheRequestTimeoutRunsToTheJobsEnd() {
    long id = JobsApi.enqueue(service, new JsonObject().put("type", "sleep")
      .put("args", new JsonObject().put("ms", 1200).put("steps", 4))).getLong("id");
    Vertx vertx = Vertx.vertx();
    try {
      String body = await(vertx.createHttpClient()
        .request(HttpMethod.GET, service.port(), "127.0.0.1", "/jobs/" + id + "/events")
        .compose(request -> request.send())
        .compose(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          return response.body();
        })).toString();
      assertThat(body).contains("\"state\":\"completed\"").doesNotContain("request-timeout");
    } finally {
      await(vertx.close());
    }
    Problems.assertProblem(service.get("/jobs/" + id + "/nowhere"), 404, "not-found");
  }

  private static String tempDir() {
    try {
      return Files.createTempDirectory("surge-jobs-timeout").toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
