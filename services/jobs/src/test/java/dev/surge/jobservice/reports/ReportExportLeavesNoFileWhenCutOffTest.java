package dev.surge.jobservice.reports;

import dev.surge.pg.PostgresComponent;
import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ReportExportLeavesNoFileWhenCutOffTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  @BeforeAll
  static void createManyProducts() throws Exception {
    Pool pg = PostgresComponent.pool(service.running().context());
    TestService.await(pg.query(Files.readString(ReportExportStreamsCsvTest.CATALOG_PRODUCTS_DDL)).execute());
    TestService.await(pg.query("""
      INSERT INTO products (sku, name, description, price, currency, stock)
      SELECT 'SKU-' || g, 'Product ' || g, repeat('long description ', 20), g, 'EUR', g
      FROM generate_series(1, 200000) AS g""").execute());
  }

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void anExportPastItsTimeoutDeletesItsPartFile() throws Exception {
    Job job = JobRuns.run(service, new JobRequest("report.export", new JsonObject().put("report", "products"))
      .setMaxAttempts(1).setTimeout(Duration.ofMillis(150)));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("timed out after 150 ms");
    // The attempt is failed at once; the export then stops, closes its cursor and removes what it wrote.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!reportFiles().isEmpty() && System.nanoTime() < deadline) {
      JobRuns.sleep(20);
    }
    assertThat(reportFiles()).isEmpty();
  }

  private static List<String> reportFiles() throws Exception {
    Path reports = DATA.resolve("reports");
    if (!Files.isDirectory(reports)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(reports)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
