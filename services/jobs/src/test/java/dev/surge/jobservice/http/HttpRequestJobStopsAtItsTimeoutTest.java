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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRequestJobStopsAtItsTimeoutTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final CountDownLatch hangingClosed = new CountDownLatch(1);
  private static final TestServer server = new TestServer()
    .route("/hang", req -> req.connection().closeHandler(v -> hangingClosed.countDown()));

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.http.allowedHosts", "127.0.0.1"));

  @AfterAll
  static void stopServer() {
    server.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void aServerThatNeverAnswersFailsTheAttemptAtTheJobTimeoutAndLosesItsConnection() throws Exception {
    Job job = JobRuns.run(service, new JobRequest("http.request", new JsonObject().put("url", server.url("/hang")))
      .setMaxAttempts(1).setTimeout(Duration.ofMillis(500)));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("timed out after 500 ms");
    assertThat(hangingClosed.await(10, TimeUnit.SECONDS)).as("the connection was closed").isTrue();
  }
}
