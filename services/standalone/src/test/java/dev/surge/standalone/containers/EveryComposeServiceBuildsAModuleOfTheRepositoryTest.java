package dev.surge.standalone.containers;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static dev.surge.standalone.containers.ServiceModules.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service compose builds comes from the repository's one Dockerfile, and its SERVICE argument names a module
 * under services/ whose fat jar has that name (the build stage copies {@code <module>/target/<SERVICE>.jar}) and
 * runs the service of that name.
 */
class EveryComposeServiceBuildsAModuleOfTheRepositoryTest {

  @Test
  void eachServiceArgumentNamesAModuleThatBuildsAJarOfThatName() throws Exception {
    ComposeFile compose = ComposeFile.read();
    compose.services().forEach((name, service) -> {
      if (service.containsKey("build")) {
        ComposeService built = compose.service(name);
        assertThat(built.dockerfile()).as(name + ": the repository's Dockerfile").isEqualTo("./Dockerfile");
        assertThat(built.buildArg("SERVICE")).as(name + ": the SERVICE build argument").isNotBlank();
      }
    });
    List<ComposeService> services = compose.surgeServices();
    assertThat(services).extracting(ComposeService::name)
      .contains("gateway", "catalog", "catalog-2", "orders", "jobs", "bench");

    List<String> modules = ServiceModules.modules();
    for (ComposeService service : services) {
      String module = "services/" + service.buildArg("SERVICE");
      assertThat(modules).as(service.name() + ": a module of the parent POM").contains(module);
      assertThat(Files.exists(ROOT.resolve(module).resolve("pom.xml"))).isTrue();
      assertThat(ServiceModules.all(ServiceModules.pom(module), "<surge.service.name>([^<]+)</surge.service.name>"))
        .as(service.name() + ": the name of the jar its module builds").containsExactly(service.buildArg("SERVICE"));
      assertThat(ServiceModules.definition(service.buildArg("SERVICE")).name()).isEqualTo(service.buildArg("SERVICE"));
      assertThat(String.valueOf(service.get("image"))).as(service.name() + ": its image")
        .startsWith("surge/" + service.buildArg("SERVICE") + ":");
    }
  }
}
