package dev.surge.jobservice.jobs;

import dev.surge.pg.PostgresComponent;
import dev.surge.jobservice.JobRuns;
import dev.surge.testing.TestService;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.surge.testing.MetricsScrape.awaitAtLeast;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Six streams on one job are fed by one source (at most one read of the job a second), and two jobs by two; the
 * sources stop with their last stream. Each stream still gets what the source reads.
 */
class EventStreamsOfOneJobShareOneSourceTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());
  private static final StreamClients clients = new StreamClients(service);

  @AfterAll
  static void stop() {
    clients.close();
    JobRuns.deleteTree(DATA);
  }

  @Test
  void manyStreamsOfAJobCostOneSource() {
    long first = clients.scheduledJob();
    long second = clients.scheduledJob();
    List<StreamClients.Open> streams = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      streams.add(clients.open(i % 2 == 0 ? "127.0.0.1" : "127.0.0.2", first));
    }
    clients.awaitMetric("surge_job_streams", 6);
    assertThat(clients.metric("surge_job_stream_sources")).isEqualTo(1);

    streams.add(clients.open("127.0.0.3", second));
    clients.awaitMetric("surge_job_streams", 7);
    assertThat(clients.metric("surge_job_stream_sources")).isEqualTo(2);
    // Seven streams tick their sources every second; the two sources read at most once a second each. (A bound,
    // not a timing: the window measured here is at least as long as the one the reads fell in.)
    long from = System.nanoTime();
    double polls = clients.metric("surge_job_stream_polls_total");
    awaitAtLeast(() -> clients.metric("surge_job_stream_polls_total"), "polls", polls + 6);
    double read = clients.metric("surge_job_stream_polls_total") - polls;
    double seconds = (System.nanoTime() - from) / 1e9;
    assertThat(read).as("reads in %.1f s by two sources", seconds).isLessThanOrEqualTo(2 * (Math.floor(seconds) + 1));

    // The job changes as another node would change it, with no event on this node's bus: only the source's
    // read can show it to the streams.
    TestService.await(PostgresComponent.pool(service.running().context())
      .preparedQuery("UPDATE surge_jobs SET state = 'cancelled', finished_at = now() WHERE id = $1")
      .execute(Tuple.of(first)));
    for (StreamClients.Open open : streams.subList(0, 6)) {
      assertThat(TestService.await(open.body()).toString()).contains("\"state\":\"cancelled\"");
    }
    clients.awaitMetric("surge_job_stream_sources", 1);
    streams.getLast().close();
    clients.awaitMetric("surge_job_stream_sources", 0);
    clients.awaitMetric("surge_job_streams", 0);
  }
}
