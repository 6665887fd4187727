package dev.surge.jobservice.runtime;

import dev.surge.config.ConfigKey;
import dev.surge.jobservice.JobsMain;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeNamesEveryJobsKeyTest {

  @Test
  void everyKeyOfTheJobsServiceHasARow() throws Exception {
    String readme = Files.readString(Path.of("..", "..", "README.md"));
    for (ConfigKey<?> key : JobsMain.definition().configKeys().stream().filter(k -> k.name().startsWith("jobs."))
      .toList()) {
      assertThat(readme).contains("| `" + key.name() + "` | `" + key.envName() + "` |");
    }
  }
}
