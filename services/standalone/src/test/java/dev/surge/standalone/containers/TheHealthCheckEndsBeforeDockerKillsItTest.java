package dev.surge.standalone.containers;

import dev.surge.testing.Dockerfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.surge.standalone.containers.ServiceModules.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A health check past Docker's {@code --timeout} is killed and its processes are left to PID 1, the JVM, which never
 * reaps them: a zombie each time, held for the container's life. So the check's own requests, one after the other at
 * their {@code --max-time}, end well inside the timeout, with room for a starved host to start the shell and curl.
 */
class TheHealthCheckEndsBeforeDockerKillsItTest {

  private static final double ROOM_TO_START_SECONDS = 5;

  @Test
  void theChecksRequestsAtTheirLongestEndWellInsideDockersTimeout() throws Exception {
    String healthcheck = Dockerfile.read().runtime().last("HEALTHCHECK");
    double timeout = Double.parseDouble(ServiceModules.all(healthcheck, "--timeout=(\\d+)s").getFirst());
    String script = ServiceModules.read(ROOT.resolve("ops/docker/healthcheck.sh"));
    List<String> bounds = ServiceModules.all(script, "curl [^\\n]*--max-time (\\d+(?:\\.\\d+)?)");
    assertThat(bounds).as("every curl of the check bounds its time with --max-time")
      .hasSize(ServiceModules.all(script, "(?m)^[^#\\n]*\\b(curl) ").size()).isNotEmpty();
    double requests = bounds.stream().mapToDouble(Double::parseDouble).sum();
    assertThat(timeout).as("HEALTHCHECK --timeout against the check's requests (%s s) and room to start them", requests)
      .isGreaterThanOrEqualTo(requests + ROOM_TO_START_SECONDS);
  }
}
