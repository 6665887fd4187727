package dev.surge.standalone.containers;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.Dockerfile;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;

import static dev.surge.standalone.containers.ServiceModules.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's HEALTHCHECK runs a script of the repository, copied in executable (the classic builder has no
 * {@code COPY --chmod}), with the tool it calls installed; it finds the port in SURGE_HTTP_PORT or in a
 * file the image wrote for its service (a build argument alone is gone at run time) and asks paths a service answers.
 */
class TheImageHealthCheckAsksTheServiceItRunsTest {

  @Test
  void theHealthCheckIsAnExecutableScriptOfTheRepositoryCopiedIntoThePath() throws Exception {
    Dockerfile.Stage runtime = Dockerfile.read().runtime();
    String healthcheck = runtime.last("HEALTHCHECK");
    assertThat(healthcheck).as("HEALTHCHECK").isNotNull().doesNotContain("NONE");
    String command = ServiceModules.all(healthcheck, "CMD \\[\"([^\"]+)\"").getFirst();
    String destination = command.contains("/") ? command : "/usr/local/bin/" + command;
    List<String> copies = runtime.all("COPY").stream().filter(c -> c.endsWith(" " + destination)).toList();
    assertThat(copies).as("a COPY puts " + command + " at " + destination).hasSize(1);
    Path script = ROOT.resolve(copies.getFirst().split("\\s+")[0]);
    assertThat(script).exists();
    assertThat(Files.getPosixFilePermissions(script)).as(script + " is executable")
      .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_EXECUTE);

    String text = Files.readString(script);
    assertThat(text).startsWith("#!/bin/sh");
    if (text.contains("curl ")) {
      assertThat(runtime.all("RUN")).as("curl is installed").anyMatch(run -> run.matches("(?s).*install\\b.* curl\\b.*"));
    }
  }

  @Test
  void itFindsThePortInTheContainersEnvironmentAndAsksPathsTheServiceAnswers() throws Exception {
    Dockerfile.Stage runtime = Dockerfile.read().runtime();
    String text = ServiceModules.read(ROOT.resolve("ops/docker/healthcheck.sh"));
    assertThat(ServiceModules.all(text, "port=\"\\$\\{(\\w+):-").getFirst()).isEqualTo("SURGE_HTTP_PORT");
    String file = ServiceModules.all(text, "port=\"\\$\\{\\w+:-\\$\\(cat ([^)]+)\\)").getFirst();
    assertThat(runtime.all("RUN")).as("the image writes " + file + ", which the health check reads")
      .anyMatch(run -> run.contains("> " + file));

    List<String> paths = ServiceModules.all(text, "(/health/\\w+)");
    assertThat(paths).contains("/health/live", "/health/ready");
    try (TestService service = TestService.start(CatalogMain.definition())) {
      for (String path : paths) {
        assertThat(service.get(path).statusCode()).as(path + " of a ready service").isEqualTo(200);
      }
    }
  }
}
