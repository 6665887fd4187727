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

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class FileCompressRoundTripTest {

  private static final Path DATA = JobRuns.newDataDir();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of());

  @AfterAll
  static void removeData() {
    JobRuns.deleteTree(DATA);
  }

  @Test
  void gzipsAFileThatGunzipsToTheSameBytes() throws Exception {
    byte[] original = sample(300 * 1024 + 17);
    Path source = write("logs/app.log", original);

    Job job = compress(new JsonObject().put("path", "logs/app.log"));

    assertThat(job.state()).as("job %s", job).isEqualTo(JobState.COMPLETED);
    Path gz = DATA.resolve("logs/app.log.gz");
    assertThat(job.result().getString("file")).isEqualTo("logs/app.log.gz");
    assertThat(job.result().getLong("bytes")).isEqualTo(original.length);
    assertThat(job.result().getLong("compressedBytes")).isEqualTo(Files.size(gz)).isLessThan(original.length);
    assertThat(gunzip(gz)).isEqualTo(original);
    assertThat(source).exists();
    assertThat(job.progress()).isEqualTo(100);
    try (Stream<Path> files = Files.list(DATA.resolve("logs"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app.log", "app.log.gz");
    }
  }

  @Test
  void deletesTheSourceWhenAsked() throws Exception {
    byte[] original = "short text, compressed all the same\n".getBytes(StandardCharsets.UTF_8);
    Path source = write("notes.txt", original);

    Job job = compress(new JsonObject().put("path", "notes.txt").put("deleteSource", true));

    assertThat(job.state()).as("job %s", job).isEqualTo(JobState.COMPLETED);
    assertThat(source).doesNotExist();
    assertThat(gunzip(DATA.resolve("notes.txt.gz"))).isEqualTo(original);
  }

  @Test
  void compressesAnEmptyFile() throws Exception {
    write("empty.dat", new byte[0]);

    Job job = compress(new JsonObject().put("path", "empty.dat"));

    assertThat(job.state()).as("job %s", job).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getLong("bytes")).isZero();
    assertThat(gunzip(DATA.resolve("empty.dat.gz"))).isEmpty();
  }

  private static Job compress(JsonObject args) {
    return JobRuns.run(service, new JobRequest("file.compress", args).setMaxAttempts(1));
  }

  /** Half repetitive text, half random bytes: compressible, and more than a few chunks. */
  private static byte[] sample(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    byte[] text = "the same line again and again\n".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < size / 2; i++) {
      bytes[i] = text[i % text.length];
    }
    return bytes;
  }

  private static Path write(String relative, byte[] content) throws Exception {
    Path file = DATA.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  private static byte[] gunzip(Path gz) throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
