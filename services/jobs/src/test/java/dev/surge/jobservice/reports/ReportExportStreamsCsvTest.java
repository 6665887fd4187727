package dev.surge.jobservice.reports;

import dev.surge.pg.PostgresComponent;
import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ReportExportStreamsCsvTest {

  /** The catalog service's own migration, so the report reads the table as the catalog creates it. */
  static final Path CATALOG_PRODUCTS_DDL = Path.of("../catalog/src/main/resources/db/catalog/V1__products.sql");
  static final int ROWS = 2500;

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  @BeforeAll
  static void createProducts() throws Exception {
    Pool pg = PostgresComponent.pool(service.running().context());
    TestService.await(pg.query(Files.readString(CATALOG_PRODUCTS_DDL)).execute());
    TestService.await(pg.preparedQuery("""
      INSERT INTO products (sku, name, price, currency, stock)
      SELECT 'SKU-' || g,
             CASE g % 3 WHEN 0 THEN 'Widget, large ' || g WHEN 1 THEN 'The "best" gadget ' || g ELSE 'Plain ' || g END,
             g * 10, 'EUR', g
      FROM generate_series(1, $1) AS g""").execute(Tuple.of(ROWS)));
  }

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void writesEveryProductAsQuotedCsvUnderItsFinalName() throws Exception {
    Job job = JobRuns.run(service, new JobRequest("report.export", new JsonObject().put("report", "products"))
      .setMaxAttempts(1));

    assertThat(job.state()).as("job %s", job).isEqualTo(JobState.COMPLETED);
    String file = "reports/products-" + job.id() + ".csv";
    assertThat(job.result().getString("file")).isEqualTo(file);
    assertThat(job.result().getLong("rows")).isEqualTo(ROWS);

    Path csv = DATA.resolve(file);
    assertThat(csv).isRegularFile();
    assertThat(job.result().getLong("bytes")).isEqualTo(Files.size(csv));
    String content = Files.readString(csv, StandardCharsets.UTF_8);
    assertThat(content).endsWith("\r\n");
    List<String> lines = List.of(content.split("\r\n"));
    assertThat(lines).hasSize(ROWS + 1);
    assertThat(lines.getFirst()).isEqualTo("id,sku,name,price,currency,stock,created_at,updated_at");
    assertThat(lines.get(1)).startsWith("1,SKU-1,\"The \"\"best\"\" gadget 1\",10,EUR,1,");
    assertThat(lines.get(2)).startsWith("2,SKU-2,Plain 2,20,EUR,2,");
    assertThat(lines.get(3)).startsWith("3,SKU-3,\"Widget, large 3\",30,EUR,3,");
    assertThat(lines.get(ROWS)).startsWith(ROWS + ",SKU-" + ROWS + ",");
    assertThat(lines.get(1).split(",")[6]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

    try (Stream<Path> reports = Files.list(DATA.resolve("reports"))) {
      assertThat(reports.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
    }
    assertThat(job.progress()).isEqualTo(100);
    assertThat(job.progressMessage()).isEqualTo(ROWS + " of " + ROWS + " rows");
  }

  @Test
  void theJobsReportSummarisesTheJobTable() throws Exception {
    Job job = JobRuns.run(service, new JobRequest("report.export", new JsonObject().put("report", "jobs"))
      .setMaxAttempts(1));

    assertThat(job.state()).as("job %s", job).isEqualTo(JobState.COMPLETED);
    List<String> lines = Files.readAllLines(DATA.resolve(job.result().getString("file")));
    assertThat(lines.getFirst()).isEqualTo("id,type,queue,state,attempt,max_attempts,inserted_at,finished_at");
    assertThat(lines.size() - 1).isEqualTo(job.result().getLong("rows").intValue()).isGreaterThanOrEqualTo(1);
    assertThat(lines).anyMatch(line -> line.startsWith(job.id() + ",report.export,default,running,1,1,"));
  }
}
