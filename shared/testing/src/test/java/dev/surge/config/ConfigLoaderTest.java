package dev.surge.config;

import dev.surge.testing.EchoService;
import dev.surge.testing.ServiceProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The layers as vertx-config reads them: a YAML file, then system properties over it. */
class ConfigLoaderTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<ConfigKey<?>> keys = EchoService.definition().configKeys();

  @AfterEach
  void close() {
    System.clearProperty("http.requestTimeout");
    vertx.close();
  }

  @Test
  void nestedYamlSetsKeysAndSystemPropertiesOverrideIt() throws Exception {
    Path file = ServiceProcess.writeTemp(".yaml", """
      http:
        port: 9123
        requestTimeout: 5s
      worker:
        executors: [reports=2, images=1]
      """);
    System.setProperty("http.requestTimeout", "7s");
    SurgeConfig config = await(ConfigLoader.load(vertx, keys, file.toString()));
    assertThat(config.get(ChassisKeys.HTTP_PORT)).isEqualTo(9123);
    assertThat(config.origin(ChassisKeys.HTTP_PORT)).isEqualTo("file " + file);
    assertThat(config.get(ChassisKeys.HTTP_REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(7));
    assertThat(config.origin(ChassisKeys.HTTP_REQUEST_TIMEOUT)).isEqualTo("system property http.requestTimeout");
    assertThat(config.get(ChassisKeys.WORKER_EXECUTORS)).containsEntry("reports", 2).containsEntry("images", 1);
  }

  @Test
  void aFileThatIsNotYamlIsAConfigurationError() throws Exception {
    Path file = ServiceProcess.writeTemp(".yaml", "http: [port: 1\n  : :\n");
    assertThatThrownBy(() -> await(ConfigLoader.load(vertx, keys, file.toString())))
      .isInstanceOf(ConfigException.class).hasMessageContaining("is not valid YAML");
  }

  @Test
  void aMissingFileIsAConfigurationError() {
    assertThatThrownBy(() -> await(ConfigLoader.load(vertx, keys, "/nonexistent/surge.yaml")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/surge.yaml cannot be read");
  }
}
