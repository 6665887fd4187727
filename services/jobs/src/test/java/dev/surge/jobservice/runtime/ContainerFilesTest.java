package dev.surge.jobservice.runtime;

import dev.surge.config.ConfigKey;
import dev.surge.jobservice.JobsMain;
import dev.surge.testing.ComposeFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs service's compose entry and Dockerfile, checked by reading them: no Docker engine runs the tests. */
class ContainerFilesTest {

  private static final Path ROOT = Path.of("..", "..");

  @Test
  @SuppressWarnings("unchecked")
  void composeRunsTheJobsServiceOnTheSharedDatabaseWithItsDataOnAVolume() throws Exception {
    ComposeFile compose = ComposeFile.read();
    Map<String, Map<String, Object>> services = compose.services();
    Map<String, Object> jobs = services.get("jobs");
    assertThat(((Map<String, Object>) jobs.get("build")).get("dockerfile")).isEqualTo("services/jobs/Dockerfile");
    assertThat(jobs.get("healthcheck").toString()).contains("/health/ready").contains(":8083/");
    ((Map<String, Object>) jobs.get("depends_on")).values()
      .forEach(v -> assertThat(v.toString()).contains("service_healthy"));

    Map<String, Object> environment = (Map<String, Object>) jobs.get("environment");
    Set<String> known = JobsMain.definition().configKeys().stream().map(ConfigKey::envName).collect(Collectors.toSet());
    assertThat(known).as("every SURGE_ variable is a configuration key").containsAll(environment.keySet());
    assertThat(environment.get("SURGE_PG_URL")).isEqualTo(services.get("catalog").get("environment") instanceof Map<?, ?> c
      ? c.get("SURGE_PG_URL") : null);
    assertThat(jobs.get("volumes").toString()).contains("jobsdata:" + environment.get("SURGE_JOBS_DATA_DIR"));
    assertThat(compose.volumes()).containsKey("jobsdata");
    assertThat(jobs.get("ports")).as("not published: reached through the gateway only").isNull();
  }

  @Test
  void theDockerfileRunsTheJarAsANonRootUserWithItsDataDirectory() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("services/jobs/Dockerfile"));
    assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/jobs.jar\"]")
      .contains("EXPOSE " + JobsMain.DEFAULT_PORT).contains("USER surge").contains("SURGE_JOBS_DATA_DIR=/app/data")
      .contains("HEALTHCHECK").contains("127.0.0.1:8083/health/ready");
  }

  @Test
  void everyDockerfileCopiesThePomOfEveryModuleOrMavenWouldNotStart() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    List<String> modules = new java.util.ArrayList<>();
    while (module.find()) {
      modules.add(module.group(1));
    }
    assertThat(modules).contains("shared", "services/jobs");
    List<Path> dockerfiles;
    try (Stream<Path> files = Files.list(ROOT.resolve("services"))) {
      dockerfiles = files.map(dir -> dir.resolve("Dockerfile")).filter(Files::exists).toList();
    }
    assertThat(dockerfiles).isNotEmpty();
    for (Path dockerfile : dockerfiles) {
      String text = Files.readString(dockerfile);
      for (String m : modules) {
        assertThat(text).as(dockerfile + " copies " + m + "/pom.xml").contains("COPY " + m + "/pom.xml " + m + "/pom.xml");
      }
    }
  }

  @Test
  void theReadmeNamesEveryKeyOfTheJobsService() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (ConfigKey<?> key : JobsMain.definition().configKeys().stream().filter(k -> k.name().startsWith("jobs."))
      .toList()) {
      assertThat(readme).contains("| `" + key.name() + "` | `" + key.envName() + "` |");
    }
  }
}
