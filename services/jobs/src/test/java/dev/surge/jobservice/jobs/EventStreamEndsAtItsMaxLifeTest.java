package dev.surge.jobservice.jobs;

import dev.surge.jobservice.JobRuns;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A stream on a job that will not run for years ends by itself at jobs.events.maxLife, and frees its slot. */
class EventStreamEndsAtItsMaxLifeTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.events.maxLife", "1s"));
  private static final StreamClients clients = new StreamClients(service);

  @AfterAll
  static void stop() {
    clients.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void theStreamEndsCleanlyWithTheJobStillScheduled() {
    long id = clients.scheduledJob();

    StreamClients.Open open = clients.open("127.0.0.1", id);
    String body = await(open.body()).toString();

    assertThat(open.response().statusCode()).isEqualTo(200);
    assertThat(body).contains("\"state\":\"scheduled\"").contains("jobs.events.maxLife");
    clients.awaitMetric("surge_job_streams", 0);
    clients.awaitMetric("surge_job_stream_sources", 0);
  }
}
