package dev.surge.jobservice.files;

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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FileCompressFailsOnMissingFileTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void aMissingFileFailsTheAttempt() {
    Job job = compress("nope/missing.txt");

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error"))
      .contains("nope/missing.txt is not an existing regular file");
    assertThat(DATA.resolve("nope")).doesNotExist();
  }

  @Test
  void aDirectoryFailsTheAttempt() throws Exception {
    Files.createDirectories(DATA.resolve("a-directory"));

    Job job = compress("a-directory");

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("is not an existing regular file");
    assertThat(DATA.resolve("a-directory.gz")).doesNotExist();
    assertThat(DATA.resolve("a-directory.gz.part")).doesNotExist();
  }

  private static Job compress(String path) {
    return JobRuns.run(service, new JobRequest("file.compress", new JsonObject().put("path", path)).setMaxAttempts(1));
  }
}
