package dev.surge.standalone.containers;

import dev.surge.testing.Dockerfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image runs the service's jar, as the JVM on PID 1 (so SIGTERM reaches it and it drains), as a user that is
 * not root and that owns what it writes.
 */
class TheImageRunsTheServiceAsAnUnprivilegedUserTest {

  @Test
  void theRuntimeStageRunsTheJarAsAUserWithAnUnprivilegedId() throws Exception {
    Dockerfile.Stage runtime = Dockerfile.read().runtime();
    String user = runtime.last("USER");
    assertThat(user).as("USER").isNotNull().isNotIn("root", "0").doesNotStartWith("0:").doesNotStartWith("root:");
    String name = user.split(":")[0];
    if (!name.chars().allMatch(Character::isDigit)) {
      List<String> created = runtime.all("RUN").stream()
        .filter(run -> run.matches("(?s).*useradd\\b[^&;|]*\\s" + name + "(\\s.*|$)")).toList();
      assertThat(created).as("a RUN creates " + name).hasSize(1);
      String uid = ServiceModules.all(created.getFirst(), "useradd\\b[^&;|]*--uid\\s+(\\d+)").stream().findFirst()
        .orElse(null);
      assertThat(uid).as(name + "'s uid, fixed (a volume's files keep it)").isNotNull();
      assertThat(Integer.parseInt(uid)).as(name + "'s uid").isGreaterThanOrEqualTo(1000);
    }
    assertThat(runtime.last("ENTRYPOINT")).as("exec form: the JVM is PID 1, from the AOT cache the build recorded")
      .isEqualTo("[\"java\", \"-XX:AOTCache=/app/service.aot\", \"-jar\", \"/app/service.jar\"]");
    assertThat(runtime.all("RUN")).as("a RUN records that cache as " + name + ", after the jar is in place")
      .anyMatch(run -> run.matches("(?s).*\\bjava [^;&|]*-XX:AOTCacheOutput=/app/service.aot -jar /app/service.jar.*"));
    assertThat(runtime.all("COPY")).as("the service's jar, owned by " + name)
      .contains("--from=build --chown=" + name + ":" + name + " /jars/${SERVICE}.jar /app/service.jar");
  }
}
