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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRequestJobRecordsStatusAndDigestTest {

  private static final String BODY = "surge, streaming a body through SHA-256\n".repeat(1000);
  private static final Path DATA = JobRuns.newDataDir();
  private static final TestServer server = new TestServer()
    .route("/known", req -> req.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(BODY))
    .route("/chunked", req -> req.response().setChunked(true).write(BODY.substring(0, 100))
      .compose(v -> req.response().end(BODY.substring(100))))
    .route("/gone", req -> req.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("not here"))
    .route("/echo", req -> req.body().onSuccess(body -> req.response()
      .putHeader("Content-Type", "application/octet-stream")
      .end(req.method() + " " + req.getHeader("X-Surge-Test") + " " + body)));

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.http.allowedHosts", "127.0.0.1"));

  @AfterAll
  static void stopServer() {
    server.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void recordsStatusBytesDigestAndContentTypeOfA200() throws Exception {
    Job job = run(new JsonObject().put("url", server.url("/known")));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getInteger("status")).isEqualTo(200);
    assertThat(job.result().getLong("bytes")).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8).length);
    assertThat(job.result().getString("sha256")).isEqualTo(sha256(BODY));
    assertThat(job.result().getString("contentType")).isEqualTo("text/plain; charset=utf-8");
  }

  @Test
  void digestsAChunkedBodyOfUnknownLength() throws Exception {
    Job job = run(new JsonObject().put("url", server.url("/chunked")));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getLong("bytes")).isEqualTo(BODY.length());
    assertThat(job.result().getString("sha256")).isEqualTo(sha256(BODY));
  }

  @Test
  void aClientErrorCompletesWithItsStatusRecorded() throws Exception {
    Job job = run(new JsonObject().put("url", server.url("/gone")));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getInteger("status")).isEqualTo(404);
    assertThat(job.result().getLong("bytes")).isEqualTo(8);
    assertThat(job.result().getString("sha256")).isEqualTo(sha256("not here"));
    assertThat(job.errors()).isEmpty();
  }

  @Test
  void sendsTheMethodHeadersAndBody() throws Exception {
    Job job = run(new JsonObject()
      .put("method", "PUT")
      .put("url", server.url("/echo"))
      .put("headers", new JsonObject().put("X-Surge-Test", "yes"))
      .put("body", "the payload"));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getString("sha256")).isEqualTo(sha256("PUT yes the payload"));
    assertThat(job.result().getString("contentType")).isEqualTo("application/octet-stream");
  }

  @Test
  void aHeadRequestHasNoBody() throws Exception {
    Job job = run(new JsonObject().put("method", "HEAD").put("url", server.url("/known")));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getInteger("status")).isEqualTo(200);
    assertThat(job.result().getLong("bytes")).isZero();
    assertThat(job.result().getString("sha256")).isEqualTo(sha256(""));
  }

  private static Job run(JsonObject args) {
    return JobRuns.run(service, new JobRequest("http.request", args).setMaxAttempts(1));
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
