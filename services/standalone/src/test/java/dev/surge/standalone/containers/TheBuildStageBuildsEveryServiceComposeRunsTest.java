package dev.surge.standalone.containers;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import dev.surge.testing.Dockerfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one Maven stage builds the jar of every service compose runs: its MODULES name each, Maven finds the POM of
 * every module of the parent (it refuses to start otherwise), and the sources of every module those need.
 */
class TheBuildStageBuildsEveryServiceComposeRunsTest {

  @Test
  void theModulesArgumentNamesEveryServiceOfCompose() throws Exception {
    List<String> modules = List.of(Dockerfile.read().stage("build").argDefault("MODULES").split(","));
    for (ComposeService service : ComposeFile.read().surgeServices()) {
      assertThat(modules).as("MODULES builds " + service.name()).contains("services/" + service.buildArg("SERVICE"));
    }
  }

  @Test
  void theBuildStageCopiesThePomOfEveryModule() throws Exception {
    List<String> copies = Dockerfile.read().stage("build").all("COPY");
    for (String module : ServiceModules.modules()) {
      assertThat(copies).as("copies " + module + "/pom.xml").contains(module + "/pom.xml " + module + "/pom.xml");
    }
  }

  @Test
  void theBuildStageCopiesTheSourcesOfEveryModuleTheServicesNeed() throws Exception {
    Dockerfile.Stage build = Dockerfile.read().stage("build");
    Map<String, String> moduleOf = ServiceModules.modules().stream()
      .collect(Collectors.toMap(ServiceModules::artifactId, Function.identity()));
    Set<String> needed = new LinkedHashSet<>();
    Deque<String> next = new ArrayDeque<>(List.of(build.argDefault("MODULES").split(",")));
    while (!next.isEmpty()) {
      String module = next.pop();
      if (needed.add(module)) {
        // every scope: Maven resolves test dependencies too, even with -DskipTests
        for (String artifact : ServiceModules.projectDependencies(ServiceModules.pom(module))) {
          assertThat(moduleOf).as(module + " depends on " + artifact + ", a module").containsKey(artifact);
          next.push(moduleOf.get(artifact));
        }
      }
    }
    assertThat(needed).contains("shared/core", "shared/cluster", "services/catalog");
    List<String> sources = build.all("COPY").stream().map(c -> c.split("\\s+")[0]).toList();
    for (String module : needed) {
      assertThat(sources).as("copies the sources of " + module)
        .anyMatch(source -> (module + "/src/").startsWith(source.endsWith("/") ? source : source + "/"));
    }
  }
}
