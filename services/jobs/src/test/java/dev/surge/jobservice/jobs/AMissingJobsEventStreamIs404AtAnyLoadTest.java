package dev.surge.jobservice.jobs;

import dev.surge.testing.Problems;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two streams per client address and two in all, both held by one client: a stream asked for a job that is not
 * there is 404, from that client (at its own cap) and from another (at the process's); a job that is there is
 * still refused at the caps.
 */
class AMissingJobsEventStreamIs404AtAnyLoadTest {

  private static final long MISSING = 999_999_999_999L;

  @RegisterExtension
  static final TestService service = JobsApi.perClass(
    Map.of("jobs.events.maxStreamsPerClient", "2", "jobs.events.maxStreams", "2"));
  @RegisterExtension
  static final StreamClients clients = new StreamClients(service);

  @Test
  void aMissingJobIs404AtTheCapsAndAJobThatIsThereIsStillRefused() {
    long id = clients.scheduledJob();
    assertThat(clients.open("127.0.0.2", id).response().statusCode()).isEqualTo(200);
    assertThat(clients.open("127.0.0.2", id).response().statusCode()).isEqualTo(200);

    Problems.assertProblem(service.get("/jobs/" + MISSING + "/events"), 404, "not-found"); // the process is at its cap
    StreamClients.Open atItsOwnCap = clients.open("127.0.0.2", MISSING);
    assertThat(atItsOwnCap.response().statusCode()).isEqualTo(404);
    assertThat(await(atItsOwnCap.body()).toJsonObject().getString("type")).endsWith("/not-found");

    Problems.assertProblem(service.get("/jobs/" + id + "/events"), 503, "too-many-streams");
    assertThat(clients.open("127.0.0.2", id).response().statusCode()).isEqualTo(429);
  }
}
