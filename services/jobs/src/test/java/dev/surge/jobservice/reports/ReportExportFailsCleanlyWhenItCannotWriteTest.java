package dev.surge.jobservice.reports;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data directory that cannot take the report fails the job with an error naming the report file (relative to
 * the data directory, whose absolute path stays private) and the reason, and leaves no partial file. Tests run
 * as root, for whom permissions stop nothing, and a file system of their own is too heavy; so a full disk is a
 * part file that is a link to {@code /dev/full} (every write fails with ENOSPC, as on a full disk), and an
 * unwritable directory is a regular file where the reports directory should be.
 */
class ReportExportFailsCleanlyWhenItCannotWriteTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final Path REPORTS = DATA.resolve("reports");

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  @BeforeAll
  static void createProducts() throws Exception {
    Products.create(service, 5000);
  }

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void aFullDiskFailsTheJobAndLeavesNoFile() throws Exception {
    JobQueue jobs = JobRuns.jobs(service);
    TestService.await(jobs.pause("default")); // to lay the trap under the job's own file name first
    long id;
    try {
      id = TestService.await(jobs.enqueue(new JobRequest("report.export", new JsonObject().put("report", "products"))
        .setMaxAttempts(1))).id();
      Files.createDirectories(REPORTS);
      Files.createSymbolicLink(REPORTS.resolve("products-" + id + ".csv.part"), Path.of("/dev/full"));
    } finally {
      TestService.await(jobs.resume("default"));
    }

    Job job = await(jobs, id);

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    String error = job.errors().getJsonObject(0).getString("error");
    assertThat(error).contains("cannot write the report file reports/products-" + id + ".csv: No space left on device")
      .doesNotContain(DATA.toString());
    assertThat(reportFiles()).isEmpty();
  }

  @Test
  void aReportsDirectoryThatCannotBeCreatedFailsTheJobAndLeavesNoFile() throws Exception {
    JobRuns.deleteTree(REPORTS);
    Files.writeString(REPORTS, "in the way");
    try {
      Job job = JobRuns.run(service, new JobRequest("report.export", new JsonObject().put("report", "products"))
        .setMaxAttempts(1));

      assertThat(job.state()).isEqualTo(JobState.DISCARDED);
      assertThat(job.errors().getJsonObject(0).getString("error"))
        .contains("cannot write the report file reports/products-" + job.id() + ".csv: ")
        .doesNotContain(DATA.toString());
      assertThat(Files.readString(REPORTS)).isEqualTo("in the way");
      try (Stream<Path> files = Files.list(DATA)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("reports");
      }
    } finally {
      Files.delete(REPORTS);
    }
  }

  private static Job await(JobQueue jobs, long id) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Job job = TestService.await(jobs.get(id));
    while (!job.state().isFinal() && System.nanoTime() < deadline) {
      JobRuns.sleep(20);
      job = TestService.await(jobs.get(id));
    }
    return job;
  }

  private static List<String> reportFiles() throws Exception {
    if (!Files.isDirectory(REPORTS)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(REPORTS)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
