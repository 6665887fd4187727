package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class CancelAndRetryTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void aRunningJobIsCancelledThenRetriedToCompletion() {
    long id = JobsApi.enqueue(service, new JsonObject().put("type", "sleep")
      .put("args", new JsonObject().put("ms", 60_000))).getLong("id");
    JobsApi.awaitState(service, id, "running");

    var cancelled = service.postJson("/jobs/" + id + "/cancel", new JsonObject());
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");

    var again = service.postJson("/jobs/" + id + "/cancel", new JsonObject());
    assertThat(Problems.assertProblem(again, 409, "conflict").getString("detail")).contains("is cancelled");

    var retried = service.postJson("/jobs/" + id + "/retry", new JsonObject());
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject().getString("state")).isEqualTo("available");
    JobsApi.awaitState(service, id, "running");
    service.postJson("/jobs/" + id + "/cancel", new JsonObject());
  }

  @Test
  void retryingAnUnfinishedJobIs409() {
    long id = JobsApi.enqueue(service, new JsonObject().put("type", "noop").put("runAt", "2031-01-01T00:00:00Z"))
      .getLong("id");
    var response = service.postJson("/jobs/" + id + "/retry", new JsonObject());
    assertThat(Problems.assertProblem(response, 409, "conflict").getString("detail")).contains("is scheduled");
  }

  @Test
  void cancellingOrRetryingAMissingJobIs404() {
    Problems.assertProblem(service.postJson("/jobs/99999999/cancel", new JsonObject()), 404, "not-found");
    Problems.assertProblem(service.postJson("/jobs/99999999/retry", new JsonObject()), 404, "not-found");
    Problems.assertProblem(service.postJson("/jobs/0/retry", new JsonObject()), 400, "validation-failed");
  }
}
