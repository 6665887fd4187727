package dev.surge.jobservice.jobs;

import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class EnqueueJobTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void aJobIsCreatedWithItsLocationAndRunsInTheDefaultQueue() {
    var response = service.postJson("/jobs", new JsonObject().put("type", "noop"));
    assertThat(response.statusCode()).isEqualTo(201);
    JsonObject job = response.bodyAsJsonObject();
    assertThat(response.getHeader("Location")).isEqualTo("/jobs/" + job.getLong("id"));
    assertThat(job.getString("queue")).isEqualTo("default");
    assertThat(job.getString("state")).isEqualTo("available");
    assertThat(job.getJsonArray("errors")).isEmpty();

    JsonObject done = JobsApi.awaitState(service, job.getLong("id"), "completed");
    assertThat(done.getInteger("attempt")).isEqualTo(1);
    assertThat(done.getString("finishedAt")).isNotNull();
  }

  @Test
  void everyOptionIsStoredWithTheJob() {
    JsonObject job = JobsApi.enqueue(service, new JsonObject()
      .put("type", "sleep")
      .put("args", new JsonObject().put("ms", 10))
      .put("queue", "reports")
      .put("priority", 3)
      .put("runAt", "2030-01-01T00:00:00Z")
      .put("maxAttempts", 4)
      .put("timeout", "90s"));
    assertThat(job.getString("state")).isEqualTo("scheduled");
    assertThat(job.getString("queue")).isEqualTo("reports");
    assertThat(job.getInteger("priority")).isEqualTo(3);
    assertThat(job.getString("runAt")).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(job.getInteger("maxAttempts")).isEqualTo(4);
    assertThat(job.getLong("timeoutMs")).isEqualTo(90_000);
    assertThat(job.getJsonObject("args").getInteger("ms")).isEqualTo(10);
  }

  @Test
  void aUniqueKeyHeldByALiveJobAnswersThatJobWith200() {
    JsonObject body = new JsonObject().put("type", "sleep").put("args", new JsonObject().put("ms", 2000))
      .put("uniqueKey", "rebuild-index");
    var first = service.postJson("/jobs", body);
    var second = service.postJson("/jobs", body);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getLong("id")).isEqualTo(first.bodyAsJsonObject().getLong("id"));
    assertThat(second.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    service.postJson("/jobs/" + first.bodyAsJsonObject().getLong("id") + "/cancel", new JsonObject());
  }

  @Test
  void aSequentialJobReportsProgressAndItsResult() {
    JsonObject job = JobsApi.enqueue(service, new JsonObject().put("type", "sleep")
      .put("args", new JsonObject().put("ms", 50).put("steps", 5)));
    JsonObject done = JobsApi.awaitState(service, job.getLong("id"), "completed");
    assertThat(done.getJsonObject("progress").getInteger("percent")).isEqualTo(100);
    assertThat(done.getJsonObject("progress").getString("message")).isEqualTo("slept 5 of 5 steps");
    assertThat(done.getJsonObject("result").getLong("sleptMs")).isEqualTo(50);
  }
}
