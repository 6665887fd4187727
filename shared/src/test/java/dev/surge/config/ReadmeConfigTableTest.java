package dev.surge.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table names every chassis key with its environment name. */
class ReadmeConfigTableTest {

  @Test
  void everyChassisKeyHasARowInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (ConfigKey<?> key : ChassisKeys.all()) {
      assertThat(readme).as("README row for " + key.name())
        .contains("| `" + key.name() + "` | `" + key.envName() + "` |");
    }
  }
}
