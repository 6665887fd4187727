package dev.surge.jobservice.http;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRequestJobLimitsResponseSizeTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final CountDownLatch endlessClosed = new CountDownLatch(1);
  private static final TestServer server = new TestServer()
    .route("/exact", req -> req.response().end("x".repeat(2048)))
    .route("/declared", req -> req.response().end("x".repeat(5000)))
    .route("/endless", req -> {
      Vertx vertx = Vertx.currentContext().owner();
      HttpServerResponse response = req.response().setChunked(true);
      long timer = vertx.setPeriodic(5, id -> {
        if (!response.closed()) {
          response.write(Buffer.buffer("y".repeat(512)));
        }
      });
      response.closeHandler(v -> {
        vertx.cancelTimer(timer);
        endlessClosed.countDown();
      });
    });

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA,
    Map.of("jobs.http.maxResponseSize", "2KB", "jobs.http.allowedHosts", "127.0.0.1"));

  @AfterAll
  static void stopServer() {
    server.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void aBodyOfExactlyTheLimitIsRead() {
    Job job = run("/exact");

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getLong("bytes")).isEqualTo(2048);
  }

  @Test
  void aDeclaredLengthOverTheLimitFailsTheAttempt() {
    Job job = run("/declared");

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error"))
      .contains("larger than 2048 bytes").contains("jobs.http.maxResponseSize");
  }

  @Test
  void aStreamedBodyOverTheLimitIsCutOff() throws Exception {
    Job job = run("/endless");

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("larger than 2048 bytes");
    assertThat(endlessClosed.await(10, TimeUnit.SECONDS)).as("the connection was closed").isTrue();
  }

  private static Job run(String path) {
    return JobRuns.run(service, new JobRequest("http.request", new JsonObject().put("url", server.url(path)))
      .setMaxAttempts(1));
  }
}
