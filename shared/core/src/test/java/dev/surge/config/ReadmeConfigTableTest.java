package dev.surge.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration tables name every chassis and job queue key with its environment name. */
class ReadmeConfigTableTest {

  private static java.util.List<ConfigKey<?>> concat(java.util.List<ConfigKey<?>> a, java.util.List<ConfigKey<?>> b) {
    java.util.List<ConfigKey<?>> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void everyChassisKeyHasARowInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("..", "..", "README.md"));
    for (ConfigKey<?> key : concat(ChassisKeys.all(), dev.surge.jobs.JobKeys.all())) {
      assertThat(readme).as("README row for " + key.name())
        .contains("| `" + key.name() + "` | `" + key.envName() + "` |");
    }
  }
}
