package dev.surge.jobservice.reports;

import dev.surge.jobservice.JobRuns;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Report files older than jobs.reports.retention are deleted by the periodic sweep; newer ones and links stay. */
class OldReportsAreDeletedTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.reports.retention", "1m"));

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void aReportPastItsRetentionIsDeletedAndANewerOneKept() throws Exception {
    Path reports = Files.createDirectories(DATA.resolve("reports"));
    Path old = Files.writeString(reports.resolve("products-1.csv"), "id\r\n");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path leftOver = Files.writeString(reports.resolve("jobs-2.csv.part"), "id\r\n");
    Files.setLastModifiedTime(leftOver, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path recent = Files.writeString(reports.resolve("products-3.csv"), "id\r\n");
    Path outside = Files.writeString(DATA.resolve("kept.txt"), "not a report");
    Files.setLastModifiedTime(outside, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path link = Files.createSymbolicLink(reports.resolve("link.csv"), outside);

    long deadline = System.nanoTime() + 30_000_000_000L;
    while ((Files.exists(old) || Files.exists(leftOver)) && System.nanoTime() < deadline) {
      JobRuns.sleep(50);
    }

    assertThat(old).doesNotExist();
    assertThat(leftOver).doesNotExist();
    assertThat(recent).exists();
    assertThat(outside).exists();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(service.get("/jobs").statusCode()).isEqualTo(200);
  }
}
