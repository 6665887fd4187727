package dev.surge.jobservice.reports;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ReportExportWithoutProductsTableTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void theProductsReportFailsNamingTheMissingTableAndLeavesNoFile() throws Exception {
    Job job = JobRuns.run(service, new JobRequest("report.export", new JsonObject().put("report", "products"))
      .setMaxAttempts(1));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error"))
      .contains("products report").contains("\"products\" does not exist");
    assertThat(reportFiles()).noneMatch(name -> name.startsWith("products-"));
  }

  @Test
  void theJobsReportStillWorks() throws Exception {
    Job noop = JobRuns.run(service, new JobRequest("noop"));
    Job job = JobRuns.run(service, new JobRequest("report.export", new JsonObject().put("report", "jobs"))
      .setMaxAttempts(1));

    assertThat(job.state()).as("job %s", job).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getString("file")).isEqualTo("reports/jobs-" + job.id() + ".csv");
    List<String> lines = Files.readAllLines(DATA.resolve(job.result().getString("file")));
    assertThat(lines).anyMatch(line -> line.startsWith(noop.id() + ",noop,default,completed,1,"));
    assertThat(reportFiles()).noneMatch(name -> name.endsWith(".part"));
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
