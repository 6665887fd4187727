package dev.surge.jobservice.http;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code jobs.http.allowedHosts} lets listed names (whatever they resolve to) and networks through, and
 * {@code jobs.http.allowPrivateNetworks} the private ranges, never loopback or link-local.
 */
class HttpRequestJobAllowsListedHostsTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final Vertx vertx = Vertx.vertx();
  private static final TestServer server = new TestServer().route("/hook", req -> req.response().end("ok"));

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.http.allowedHosts", "hooks.surge.test"));

  @AfterAll
  static void stop() {
    server.close();
    TestService.await(vertx.close());
    JobRuns.deleteTree(DATA);
  }

  @Test
  void aListedNameIsReachedThoughItResolvesToLoopback() {
    Job job = JobRuns.run(service, new JobRequest("http.request",
      new JsonObject().put("url", "http://hooks.surge.test:" + server.port() + "/hook")).setMaxAttempts(1));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getInteger("status")).isEqualTo(200);
    assertThat(server.requests()).contains("GET /hook Host: hooks.surge.test:" + server.port());
  }

  @Test
  void anotherNameForTheSameAddressIsNot() {
    int before = server.connections();
    Job job = JobRuns.run(service, new JobRequest("http.request",
      new JsonObject().put("url", "http://loopback.surge.test:" + server.port() + "/hook")));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("resolves to a loopback address");
    assertThat(server.connections()).isEqualTo(before);
  }

  @Test
  void aListedNetworkLetsItsAddressesThrough() {
    HttpRequestJob type = type(new HttpRequestJobOptions().setAllowedHosts(List.of("10.1.0.0/16", "127.0.0.1")));

    assertThat(errors(type, "http://10.1.2.3/")).isEmpty();
    assertThat(errors(type, "http://127.0.0.1:8083/")).isEmpty();
    assertThat(errors(type, "http://10.2.0.1/")).containsOnlyKeys("url");
    assertThat(errors(type, "http://127.0.0.2/")).containsOnlyKeys("url");
    assertThat(errors(type, "http://localhost/")).as("a loopback name only when listed by name")
      .containsOnlyKeys("url");
  }

  @Test
  void privateNetworksOptInLeavesLoopbackAndLinkLocalRefused() {
    HttpRequestJob type = type(new HttpRequestJobOptions().setAllowPrivateNetworks(true));

    assertThat(errors(type, "http://10.0.0.1/")).isEmpty();
    assertThat(errors(type, "http://172.31.0.1/")).isEmpty();
    assertThat(errors(type, "http://192.168.1.1/")).isEmpty();
    assertThat(errors(type, "http://100.64.0.1/")).isEmpty();
    assertThat(errors(type, "http://[fd00::1]/")).isEmpty();
    assertThat(errors(type, "http://127.0.0.1/")).containsOnlyKeys("url");
    assertThat(errors(type, "http://[::1]/")).containsOnlyKeys("url");
    assertThat(errors(type, "http://169.254.169.254/")).containsOnlyKeys("url");
    assertThat(errors(type, "http://localhost/")).containsOnlyKeys("url");
  }

  @Test
  void anEntryThatIsNoHostNorNetworkIsRefusedAtStart() {
    assertThatThrownBy(() -> type(new HttpRequestJobOptions().setAllowedHosts(List.of("10.0.0.0/33"))))
      .hasMessageContaining("jobs.http.allowedHosts").hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> type(new HttpRequestJobOptions().setAllowedHosts(List.of("2130706433"))))
      .hasMessageContaining("jobs.http.allowedHosts").hasMessageContaining("2130706433");
  }

  private static HttpRequestJob type(HttpRequestJobOptions options) {
    return new HttpRequestJob(vertx, options);
  }

  private static Map<String, String> errors(HttpRequestJob type, String url) {
    return JobRuns.fieldErrors(type, new JsonObject().put("url", url));
  }
}
