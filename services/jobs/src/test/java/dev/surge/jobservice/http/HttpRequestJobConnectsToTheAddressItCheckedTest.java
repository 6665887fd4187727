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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS rebinding: {@code rebind.surge.test} first resolves to 127.0.0.1 (allowed here), and to 127.0.0.2 (not
 * allowed) on every later lookup. The job connects to the address it checked, with the name in the Host header;
 * the server on 127.0.0.2 (same port) never hears of it. A name that resolves to an allowed and a refused address
 * is refused whole. (The module's tests run without a DNS cache, see its pom, so a second lookup would see the
 * second answer.)
 */
class HttpRequestJobConnectsToTheAddressItCheckedTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final TestServer checked = new TestServer().route("/", req -> req.response().end("checked"));
  private static final TestServer rebound = new TestServer("127.0.0.2", checked.port());

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.http.allowedHosts", "127.0.0.1"));

  @AfterAll
  static void stop() {
    checked.close();
    rebound.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void theRequestGoesToTheCheckedAddressUnderItsName() {
    Job job = JobRuns.run(service, new JobRequest("http.request",
      new JsonObject().put("url", "http://rebind.surge.test:" + checked.port() + "/")).setMaxAttempts(1));

    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(checked.requests()).containsExactly("GET / Host: rebind.surge.test:" + checked.port());
    assertThat(rebound.connections()).isZero();
  }

  @Test
  void aNameWithARefusedAddressAmongAllowedOnesIsRefused() {
    int before = checked.connections();
    Job job = JobRuns.run(service, new JobRequest("http.request",
      new JsonObject().put("url", "http://mixed.surge.test:" + checked.port() + "/")));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error"))
      .contains("mixed.surge.test resolves to a private network address").doesNotContain("10.0.0.1");
    assertThat(checked.connections()).isEqualTo(before);
  }
}
