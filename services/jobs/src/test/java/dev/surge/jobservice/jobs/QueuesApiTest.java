package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class QueuesApiTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void pausingAQueueHoldsItsJobsAndResumingRunsThem() {
    var paused = service.postJson("/queues/reports/pause", new JsonObject());
    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(paused.bodyAsJsonObject().getBoolean("paused")).isTrue();
    long id = JobsApi.enqueue(service, new JsonObject().put("type", "noop").put("queue", "reports")).getLong("id");

    JsonObject reports = JobsApi.queue(service, "reports");
    assertThat(reports.getBoolean("paused")).isTrue();
    assertThat(reports.getInteger("limit")).isEqualTo(2);
    assertThat(reports.getJsonObject("depth").getLong("available")).isEqualTo(1);

    var resumed = service.postJson("/queues/reports/resume", new JsonObject());
    assertThat(resumed.bodyAsJsonObject().getBoolean("paused")).isFalse();
    JobsApi.awaitState(service, id, "completed");
    assertThat(JobsApi.queue(service, "reports").getJsonObject("depth").getLong("available")).isZero();
  }

  @Test
  void theDefaultQueueIsAlwaysListed() {
    JsonObject queue = JobsApi.queue(service, "default");
    assertThat(queue.getInteger("limit")).isEqualTo(10);
    assertThat(queue.getJsonObject("depth").fieldNames()).containsExactlyInAnyOrder("available", "scheduled",
      "retryable", "running");
  }

  @Test
  void aBadQueueNameIs400() {
    Problems.assertProblem(service.postJson("/queues/NO_SUCH/pause", new JsonObject()), 400, "validation-failed");
  }
}
