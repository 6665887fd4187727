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

import static dev.surge.jobservice.http.HttpRequestJobRecordsStatusAndDigestTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redirects are followed by the job itself, up to {@code jobs.http.maxRedirects}, and each hop's destination is
 * checked like the first: an allowed host cannot hand the job on to loopback or the metadata service.
 */
class HttpRequestJobChecksEveryRedirectTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final TestServer server = new TestServer();
  private static final String HOOKS = "http://hooks.surge.test:" + server.port();

  static {
    server
      .route("/to-loopback", req -> req.response().setStatusCode(302)
        .putHeader("Location", "http://127.0.0.1:" + server.port() + "/secret").end())
      .route("/to-metadata", req -> req.response().setStatusCode(301)
        .putHeader("Location", "http://169.254.169.254/latest/meta-data/").end())
      .route("/secret", req -> req.response().end("the admin API"))
      .route("/hop", req -> req.response().setStatusCode(302).putHeader("Location", "/final").end())
      .route("/final", req -> req.response().end("arrived"))
      .route("/loop", req -> req.response().setStatusCode(307).putHeader("Location", "/loop").end())
      .route("/see-other", req -> req.response().setStatusCode(303).putHeader("Location", "/echo").end())
      .route("/to-other", req -> req.response().setStatusCode(307)
        .putHeader("Location", "http://other.surge.test:" + server.port() + "/echo").end())
      .route("/echo", req -> req.body().onSuccess(body -> req.response()
        .end(req.method() + " auth=" + req.getHeader("Authorization") + " key=" + req.getHeader("X-Api-Key")
          + " body=" + body)));
  }

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA,
    Map.of("jobs.http.allowedHosts", "hooks.surge.test,other.surge.test", "jobs.http.maxRedirects", "3"));

  @AfterAll
  static void stop() {
    server.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void aRedirectToLoopbackIsRefusedBeforeItIsFollowed() {
    Job job = run(new JsonObject().put("url", HOOKS + "/to-loopback"));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.errors().getJsonObject(0).getString("error"))
      .contains("http://127.0.0.1:" + server.port() + "/secret is refused").contains("loopback address");
    assertThat(server.requests()).noneMatch(r -> r.contains("/secret"));
  }

  @Test
  void aRedirectToTheMetadataServiceIsRefused() {
    Job job = run(new JsonObject().put("url", HOOKS + "/to-metadata"));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("169.254.169.254 is a link-local address");
  }

  @Test
  void anAllowedRedirectIsFollowed() throws Exception {
    Job job = run(new JsonObject().put("url", HOOKS + "/hop"));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getInteger("status")).isEqualTo(200);
    assertThat(job.result().getString("sha256")).isEqualTo(sha256("arrived"));
    assertThat(job.result().getInteger("redirects")).isEqualTo(1);
  }

  @Test
  void aRedirectLoopStopsAtTheLimit() {
    Job job = JobRuns.run(service, new JobRequest("http.request", new JsonObject().put("url", HOOKS + "/loop"))
      .setMaxAttempts(1));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("after 3 redirects (jobs.http.maxRedirects)");
  }

  @Test
  void seeOtherTurnsAPostIntoAGet() throws Exception {
    Job job = run(new JsonObject().put("url", HOOKS + "/see-other").put("method", "POST").put("body", "payload"));

    assertThat(job.result().getString("sha256")).isEqualTo(sha256("GET auth=null key=null body="));
  }

  @Test
  void headersStayWithTheOriginTheyWereGivenFor() throws Exception {
    Job job = run(new JsonObject().put("url", HOOKS + "/to-other").put("method", "PUT").put("body", "payload")
      .put("headers", new JsonObject().put("Authorization", "Bearer secret").put("X-Api-Key", "k-secret")));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getString("sha256")).isEqualTo(sha256("PUT auth=null key=null body=payload"));
    assertThat(server.requests()).contains("PUT /echo Host: other.surge.test:" + server.port());
  }

  private static Job run(JsonObject args) {
    return JobRuns.run(service, new JobRequest("http.request", args));
  }
}
