package dev.surge.jobservice.jobs;

import dev.surge.testing.CapturedLog;
import dev.surge.testing.TestService;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** An http.request job's header values (its Authorization) appear in no response, event or log line. */
class JobArgumentSecretsAreRedactedTest {

  private static final String TOKEN = "Bearer s3cr3t-token-4f9a";

  @RegisterExtension
  static final TestService service = JobsApi.perClass();

  @Test
  void headerValuesAreMaskedInEveryResponseTheirNamesKept() {
    JsonObject job = JobsApi.enqueue(service, request(TOKEN).put("runAt", "2099-01-01T00:00:00Z"));
    long id = job.getLong("id");

    for (String body : everyAnswerAbout(job)) {
      assertThat(body).doesNotContain("s3cr3t").doesNotContain("text/csv");
    }
    JsonObject headers = service.get("/jobs/" + id).bodyAsJsonObject().getJsonObject("args").getJsonObject("headers");
    assertThat(headers.getMap()).containsOnlyKeys("Authorization", "Accept")
      .containsEntry("Authorization", "***").containsEntry("Accept", "***");
  }

  @Test
  void aUrlsCredentialsAreMaskedInEveryResponseItsHostAndPathKept() {
    JsonObject job = JobsApi.enqueue(service, new JsonObject().put("type", "http.request").put("runAt",
      "2099-01-01T00:00:00Z").put("args", new JsonObject()
      .put("url", "https://user:pa55word@secret-host.invalid/path?token=TOPSECRET")));
    long id = job.getLong("id");

    for (String body : everyAnswerAbout(job)) {
      assertThat(body).doesNotContain("pa55word").doesNotContain("TOPSECRET");
    }
    assertThat(service.get("/jobs/" + id).bodyAsJsonObject().getJsonObject("args").getString("url"))
      .isEqualTo("https://***@secret-host.invalid/path?***");
    service.postJson("/jobs/" + id + "/cancel", new JsonObject());
  }

  @Test
  void aSecretInTheErrorOfAnAttemptIsMaskedInTheJobItsEventsAndTheLog() throws InterruptedException {
    try (CapturedLog log = CapturedLog.of("dev.surge")) {
      service.postJson("/queues/reports/pause", new JsonObject());
      // A DEL in a header value: the HTTP client refuses it with a message that quotes the whole value.
      long id = JobsApi.enqueue(service, request(TOKEN + "\u007f").put("queue", "reports").put("maxAttempts", 1))
        .getLong("id");
      HttpClient client = service.running().context().vertx().createHttpClient();
      var response = await(client.request(HttpMethod.GET, service.port(), "127.0.0.1", "/jobs/" + id + "/events")
        .compose(r -> r.send()));
      service.postJson("/queues/reports/resume", new JsonObject());
      String events = await(response.body()).toString();

      assertThat(events).contains("discarded").contains("***").doesNotContain("s3cr3t");
      JsonObject job = JobsApi.awaitState(service, id, "discarded");
      assertThat(job.getJsonArray("errors").encode()).contains("***").doesNotContain("s3cr3t");
      // The attempt's log line follows its stored outcome on the dispatcher's event loop: a moment after the API
      // and the stream can show it.
      String attemptLine = "Job " + id + " (http.request)";
      for (int i = 0; i < 200 && log.lines().stream().noneMatch(line -> line.contains(attemptLine)); i++) {
        Thread.sleep(25);
      }
      List<String> logged = log.lines();
      assertThat(logged).anySatisfy(line -> assertThat(line).contains(attemptLine));
      assertThat(logged).noneSatisfy(line -> assertThat(line).contains("s3cr3t"));
    }
  }

  /** The job as enqueued, got, listed, cancelled and retried. */
  private static List<String> everyAnswerAbout(JsonObject job) {
    long id = job.getLong("id");
    return List.of(job.encode(), service.get("/jobs/" + id).bodyAsString(),
      service.get("/jobs?type=http.request&limit=500").bodyAsString(),
      service.postJson("/jobs/" + id + "/cancel", new JsonObject()).bodyAsString(),
      service.postJson("/jobs/" + id + "/retry", new JsonObject()).bodyAsString());
  }

  private static JsonObject request(String authorization) {
    return new JsonObject().put("type", "http.request").put("args", new JsonObject()
      .put("url", "http://127.0.0.1:" + service.port() + "/health/live").put("method", "POST").put("body", "{}")
      .put("headers", new JsonObject().put("Authorization", authorization).put("Accept", "text/csv")));
  }
}
