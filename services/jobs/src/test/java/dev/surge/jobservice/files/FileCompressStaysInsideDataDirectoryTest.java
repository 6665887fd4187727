package dev.surge.jobservice.files;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FileCompressStaysInsideDataDirectoryTest {

  private static final Path ROOT = JobRuns.newDataDir();
  private static final Path DATA = ROOT.resolve("data");
  private static final Path OUTSIDE = ROOT.resolve("outside.txt");

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  private static FileCompressJob type;

  @BeforeAll
  static void createFiles() throws Exception {
    Files.createDirectories(DATA);
    Files.writeString(OUTSIDE, "secret outside the data directory");
    Files.writeString(DATA.resolve("inside.txt"), "fine to compress");
    Files.createSymbolicLink(DATA.resolve("escape.txt"), OUTSIDE);
    Files.createSymbolicLink(DATA.resolve("linked-dir"), ROOT);
    type = new FileCompressJob(new DataDirectory(DATA));
  }

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(ROOT);
  }

  @Test
  void acceptsAFileInside() {
    assertThat(errors(new JsonObject().put("path", "inside.txt").put("deleteSource", false))).isEmpty();
    assertThat(errors(new JsonObject().put("path", "sub/../inside.txt"))).isEmpty();
  }

  @Test
  void rejectsPathsThatLeave() {
    assertThat(errors(new JsonObject().put("path", "../outside.txt"))).containsOnlyKeys("path");
    assertThat(errors(new JsonObject().put("path", "/etc/passwd"))).containsOnlyKeys("path");
    assertThat(errors(new JsonObject().put("path", OUTSIDE.toString()))).containsOnlyKeys("path");
    assertThat(errors(new JsonObject().put("path", "."))).containsOnlyKeys("path");
    assertThat(errors(new JsonObject().put("path", ""))).containsOnlyKeys("path");
  }

  @Test
  void aFileReachedThroughALinkedDirectoryOutsideIsRefusedWhenTheJobRuns() {
    assertThat(errors(new JsonObject().put("path", "linked-dir/outside.txt")))
      .as("links are judged on the worker thread, not at enqueue").isEmpty();
    Job job = JobRuns.run(service, new JobRequest("file.compress",
      new JsonObject().put("path", "linked-dir/outside.txt")).setMaxAttempts(1));
    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("must stay inside the data directory");
    assertThat(ROOT.resolve("outside.txt.gz")).doesNotExist();
  }

  @Test
  void rejectsOtherFieldsAndANonBooleanDeleteSource() {
    assertThat(errors(new JsonObject())).containsOnlyKeys("path");
    assertThat(errors(new JsonObject().put("path", "inside.txt").put("level", 9))).containsOnlyKeys("level");
    assertThat(errors(new JsonObject().put("path", "inside.txt").put("deleteSource", "yes")))
      .containsOnlyKeys("deleteSource");
  }

  @Test
  void aJobEnqueuedPastValidationStillCannotFollowALinkOutside() throws Exception {
    Job job = JobRuns.run(service, new JobRequest("file.compress", new JsonObject().put("path", "escape.txt"))
      .setMaxAttempts(1));

    assertThat(job.state()).isEqualTo(JobState.DISCARDED);
    assertThat(job.errors().getJsonObject(0).getString("error")).contains("must stay inside the data directory");
    assertThat(ROOT.resolve("outside.txt.gz")).doesNotExist();
    assertThat(DATA.resolve("escape.txt.gz")).doesNotExist();
    assertThat(Files.readString(OUTSIDE)).isEqualTo("secret outside the data directory");
  }

  private static Map<String, String> errors(JsonObject args) {
    return JobRuns.fieldErrors(type, args);
  }
}
