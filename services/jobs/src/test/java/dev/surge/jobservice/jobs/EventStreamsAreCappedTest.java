package dev.surge.jobservice.jobs;

import dev.surge.jobservice.JobRuns;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two streams per client address and three in all: a client's third is 429, a stream beyond the total is 503,
 * both problems with Retry-After; a closed stream gives its slot back.
 */
class EventStreamsAreCappedTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA,
    Map.of("jobs.events.maxStreamsPerClient", "2", "jobs.events.maxStreams", "3", "http.retryAfter", "7s"));
  private static final StreamClients clients = new StreamClients(service);

  @AfterAll
  static void stop() {
    clients.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void streamsBeyondTheCapsAreRefusedWithRetryAfterUntilOneCloses() {
    long id = clients.scheduledJob();
    StreamClients.Open a1 = clients.open("127.0.0.1", id);
    clients.open("127.0.0.1", id);
    assertThat(a1.response().statusCode()).isEqualTo(200);

    StreamClients.Open a3 = clients.open("127.0.0.1", id);
    assertRefused(a3, 429, "jobs.events.maxStreamsPerClient");

    assertThat(clients.open("127.0.0.2", id).response().statusCode()).as("another client").isEqualTo(200);
    StreamClients.Open b2 = clients.open("127.0.0.2", id);
    assertRefused(b2, 503, "jobs.events.maxStreams");

    a1.close();
    clients.awaitMetric("surge_job_streams", 2);
    assertThat(clients.open("127.0.0.2", id).response().statusCode()).as("the freed slot").isEqualTo(200);
  }

  private static void assertRefused(StreamClients.Open open, int status, String key) {
    assertThat(open.response().statusCode()).isEqualTo(status);
    assertThat(open.response().getHeader("Retry-After")).isEqualTo("7");
    assertThat(open.response().getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = await(open.body()).toJsonObject();
    assertThat(problem.getString("type")).endsWith("/too-many-streams");
    assertThat(problem.getString("detail")).contains(key);
  }
}
