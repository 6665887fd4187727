package dev.surge.catalog.runtime;

import dev.surge.catalog.CatalogMain;
import dev.surge.config.ConfigKey;
import dev.surge.testing.ComposeFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs where the tests do, so the compose file and the Dockerfile are checked by reading them:
 * pinned images, health checks on readiness, a non-root user, and only configuration variables the service knows.
 */
class ContainerFilesTest {

  private static final Path ROOT = Path.of("..", "..");

  @Test
  @SuppressWarnings("unchecked")
  void composeRunsPostgresRedisAndCatalogWithPinnedImagesAndKnownSettings() throws Exception {
    ComposeFile compose = ComposeFile.read();
    Map<String, Map<String, Object>> services = compose.services();
    assertThat(services).containsKeys("postgres", "redis", "catalog");

    for (String name : List.of("postgres", "redis")) {
      String image = (String) services.get(name).get("image");
      assertThat(image).as(name + " image is pinned").matches("[a-z0-9./-]+:[0-9][\\w.-]*").doesNotContain("latest");
      assertThat(services.get(name)).containsKey("healthcheck");
    }

    Map<String, Object> catalog = services.get("catalog");
    assertThat(((Map<String, Object>) catalog.get("build")).get("dockerfile")).isEqualTo("services/catalog/Dockerfile");
    assertThat(catalog.get("healthcheck").toString()).contains("/health/ready");
    Map<String, Object> dependsOn = (Map<String, Object>) catalog.get("depends_on");
    assertThat(dependsOn).containsKeys("postgres", "redis");
    dependsOn.values().forEach(v -> assertThat(v.toString()).contains("service_healthy"));

    Set<String> known = CatalogMain.definition().configKeys().stream().map(ConfigKey::envName).collect(Collectors.toSet());
    Map<String, Object> environment = (Map<String, Object>) catalog.get("environment");
    assertThat(known).as("every SURGE_ variable in compose is a configuration key").containsAll(environment.keySet());
    assertThat(environment.get("SURGE_PG_URL").toString()).startsWith("postgresql://").contains("@postgres:5432/");
    assertThat(environment.get("SURGE_REDIS_URL")).isEqualTo("redis://redis:6379");
    assertThat(catalog.get("ports")).as("not published: reached through the gateway only").isNull();
  }

  @Test
  void theDockerfileBuildsWithMavenAndRunsTheJarAsANonRootUserWithAReadinessHealthcheck() throws Exception {
    List<String> lines = Files.readAllLines(ROOT.resolve("services/catalog/Dockerfile"));
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(from).hasSize(2);
    assertThat(from.get(0)).startsWith("FROM maven:3.9").contains("temurin-21");
    assertThat(from.get(1)).matches("FROM eclipse-temurin:21[\\w.]*-jre");
    assertThat(lines).anyMatch(l -> l.matches("USER [a-z]+") && !l.equals("USER root"));
    assertThat(String.join("\n", lines)).contains("HEALTHCHECK").contains("/health/ready")
      .contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/catalog.jar\"]").contains("EXPOSE " + CatalogMain.DEFAULT_PORT);
    Set<String> known = CatalogMain.definition().configKeys().stream().map(ConfigKey::envName).collect(Collectors.toSet());
    lines.stream().flatMap(l -> Arrays.stream(l.split("[\\s=]+"))).filter(w -> w.startsWith("SURGE_"))
      .forEach(variable -> assertThat(known).as("Dockerfile variable " + variable).contains(variable));
  }
}
