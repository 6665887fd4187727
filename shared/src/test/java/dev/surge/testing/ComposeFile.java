package dev.surge.testing;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The repository's docker-compose.yml as Docker reads it (merge keys resolved), for tests run from a module. */
public final class ComposeFile {

  private final Map<String, Object> compose;

  private ComposeFile(Map<String, Object> compose) {
    this.compose = compose;
  }

  /** Reads it from the repository root, two levels above a service module. */
  public static ComposeFile read() throws IOException {
    return new ComposeFile(new Yaml().load(Files.readString(Path.of("..", "..", "docker-compose.yml"))));
  }

  @SuppressWarnings("unchecked")
  public Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> volumes() {
    return (Map<String, Object>) compose.get("volumes");
  }
}
