package dev.surge.jobservice.http;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRequestJobFailsOnServerErrorsTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final AtomicInteger flakyCalls = new AtomicInteger();
  private static final TestServer server = new TestServer()
    .route("/unavailable", req -> req.response().setStatusCode(503).end("down for maintenance"))
    .route("/throttled", req -> req.response().setStatusCode(429).end())
    .route("/flaky", req -> {
      if (flakyCalls.incrementAndGet() == 1) {
        req.response().setStatusCode(502).end();
      } else {
        req.response().end("fine now");
      }
    });

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.http.allowedHosts", "127.0.0.1"));

  @AfterAll
  static void stopServer() {
    server.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void a503FailsTheAttemptWithTheStatusInTheError() {
    String url = server.url("/unavailable");
    Job job = JobRuns.run(service, new JobRequest("http.request", new JsonObject().put("url", url)).setMaxAttempts(1));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.result()).isNull();
    assertThat(job.errors()).hasSize(1);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("HTTP 503 from " + url);
  }

  @Test
  void a429FailsTheAttempt() {
    String url = server.url("/throttled");
    Job job = JobRuns.run(service, new JobRequest("http.request", new JsonObject().put("url", url)).setMaxAttempts(1));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("HTTP 429 from " + url);
  }

  @Test
  void aServerErrorIsRetriedUntilItSucceeds() {
    Job job = JobRuns.run(service, new JobRequest("http.request", new JsonObject().put("url", server.url("/flaky")))
      .setMaxAttempts(3));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.errors()).hasSize(1);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("HTTP 502");
    assertThat(job.result().getInteger("status")).isEqualTo(200);
  }

  @Test
  void anUnreachableServerFailsTheAttempt() {
    Job job = JobRuns.run(service, new JobRequest("http.request", new JsonObject().put("url", "http://127.0.0.1:1/"))
      .setMaxAttempts(1));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).isNotBlank();
  }
}
