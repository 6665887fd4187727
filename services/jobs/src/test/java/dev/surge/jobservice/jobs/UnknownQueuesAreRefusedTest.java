package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A queue name a client makes up is refused: no job, no meter, no queue is made for it. */
class UnknownQueuesAreRefusedTest {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void enqueueingIntoAQueueThisServiceDoesNotRunIs400NamingIt() {
    for (String queue : new String[] {"q1", "q2", "orders"}) {
      JsonObject problem = Problems.assertProblem(service.postJson("/jobs",
        new JsonObject().put("type", "noop").put("queue", queue)), 400, "validation-failed");
      assertThat(problem.getJsonArray("errors").encode()).contains("queue").contains("'" + queue + "'");
    }

    Problems.assertProblem(service.postJson("/jobs", new JsonObject().put("type", "noop").put("queue", "NOT A QUEUE")),
      400, "validation-failed");

    assertThat(service.get("/jobs?queue=q1").bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(service.get("/metrics").bodyAsString()).doesNotContain("queue=\"q1\"").doesNotContain("queue=\"q2\"");
  }

  @Test
  void theQueuesItRunsAreAccepted() {
    assertThat(service.postJson("/jobs", new JsonObject().put("type", "noop").put("queue", "reports")).statusCode())
      .isEqualTo(201);
    assertThat(service.postJson("/jobs", new JsonObject().put("type", "noop")).statusCode())
      .as("the default queue").isEqualTo(201);
  }
}
