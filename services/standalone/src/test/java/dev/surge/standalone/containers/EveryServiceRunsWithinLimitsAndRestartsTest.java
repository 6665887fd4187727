package dev.surge.standalone.containers;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import dev.surge.testing.Dockerfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service runs with a memory and a CPU limit, with the JVM's heap sized against the memory limit (not the
 * host's memory), and Docker starts it again when it stops by itself (such as when its health check stops a
 * process whose event loop is stuck).
 */
class EveryServiceRunsWithinLimitsAndRestartsTest {

  @Test
  void everyServiceHasLimitsARestartPolicyAndAJvmSizedToItsLimit() throws Exception {
    String imageOptions = Dockerfile.read().runtime().env().getOrDefault("JAVA_TOOL_OPTIONS", "");
    for (ComposeService service : ComposeFile.read().surgeServices()) {
      assertThat(service.get("mem_limit")).as(service.name() + ": mem_limit").isNotNull();
      assertThat(service.get("cpus")).as(service.name() + ": cpus").isNotNull();
      assertThat(service.get("restart")).as(service.name() + ": restart").isIn("unless-stopped", "always");
      assertThat(service.environment().getOrDefault("JAVA_TOOL_OPTIONS", imageOptions))
        .as(service.name() + ": the JVM's options").contains("-XX:MaxRAMPercentage=")
        .as(service.name() + ": the C library's heap trimmed each second").contains("-XX:TrimNativeHeapInterval=1000");
    }
  }
}
