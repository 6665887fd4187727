package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An enqueue still on its way to PostgreSQL when its answer falls due (its INSERT waits on a transaction holding its
 * unique key) is answered 504 outcome-unknown with Retry-After, not the 503 that tells a client nothing was stored:
 * the job is stored once that transaction ends, and the client's retry with the same uniqueKey gets that job.
 */
class AJobStoredAfterTheTimeoutIsNeverAnswered503Test {

  @RegisterExtension
  static final TestService service = JobsApi.perClass(Map.of("http.requestTimeout", "2s"));

  @Test
  void theAnswerIs504AndTheRetryGetsTheJobStoredAfterIt() {
    String key = "nightly-" + UUID.randomUUID();
    HttpResponse<Buffer> answer;
    try (HeldKey held = new HeldKey(service, key)) {
      answer = service.postJson("/jobs", HeldKey.body(key));
    }
    Problems.assertProblem(answer, 504, "outcome-unknown");
    assertThat(answer.getHeader("Retry-After")).isNotBlank();

    JsonObject stored = JobsApi.awaitJobWithKey(service, key);
    HttpResponse<Buffer> retry = service.postJson("/jobs", HeldKey.body(key));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.bodyAsJsonObject().getLong("id")).isEqualTo(stored.getLong("id"));
  }
}
