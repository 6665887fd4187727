package dev.surge.jobservice.reports;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobservice.files.DataDirectory;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportExportRejectsBadArgumentsTest {

  private static final Path DATA = JobRuns.newDataDir();
  // Validation reads no rows, so it needs no pool.
  private static final ReportExportJob type = new ReportExportJob(null, new DataDirectory(DATA), 1, "jobs");

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void acceptsEachNamedReport() {
    assertThat(errors(new JsonObject().put("report", "products"))).isEmpty();
    assertThat(errors(new JsonObject().put("report", "jobs"))).isEmpty();
  }

  @Test
  void requiresAKnownReport() {
    assertThat(errors(new JsonObject())).containsOnlyKeys("report");
    assertThat(errors(new JsonObject().put("report", "customers"))).containsEntry("report", "must be one of products, jobs");
    assertThat(errors(new JsonObject().put("report", 1))).containsOnlyKeys("report");
  }

  @Test
  void rejectsOtherFields() {
    assertThat(errors(new JsonObject().put("report", "jobs").put("file", "/tmp/x.csv"))).containsOnlyKeys("file");
  }

  private static Map<String, String> errors(JsonObject args) {
    return JobRuns.fieldErrors(type, args);
  }
}
