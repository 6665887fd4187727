package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An enqueue whose connection is lost under its INSERT (PostgreSQL ends the backend while the INSERT waits on a
 * transaction holding its unique key) cannot know whether the INSERT committed: it is answered 504 outcome-unknown,
 * not the 503 dependency-unavailable that says nothing was stored. The retry with the same uniqueKey learns which:
 * here nothing was, and the retry stores the job.
 */
class AnEnqueueCutOffOnItsWayIsAnswered504Test {

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void aConnectionLostUnderTheInsertIs504() {
    String key = "nightly-" + UUID.randomUUID();
    HttpResponse<Buffer> answer;
    try (HeldKey held = new HeldKey(service, key)) {
      Future<HttpResponse<Buffer>> pending = service.client().post("/jobs").sendJsonObject(HeldKey.body(key));
      held.cutOffTheEnqueueWaiting();
      answer = await(pending);
    }
    Problems.assertProblem(answer, 504, "outcome-unknown");
    assertThat(answer.getHeader("Retry-After")).isNotBlank();

    assertThat(service.postJson("/jobs", HeldKey.body(key)).statusCode()).as("the retry stores the job").isEqualTo(201);
  }
}
