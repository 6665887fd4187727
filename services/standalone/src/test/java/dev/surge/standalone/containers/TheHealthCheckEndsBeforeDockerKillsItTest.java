package dev.surge.standalone.containers;

import dev.surge.testing.Dockerfile;
import org.junit.jupiter.api.Test;

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
    double requests = ServiceModules.all(script, "curl [^\\n]*--max-time (\\d+(?:\\.\\d+)?)").stream()
      .mapToDouble(Double::parseDouble).sum();
    assertThat(requests).as("the check's requests bound themselves").isPositive();
    assertThat(timeout).as("HEALTHCHECK --timeout against the check's requests (%s s) and room to start them", requests)
      .isGreaterThanOrEqualTo(requests + ROOM_TO_START_SECONDS);
  }
}
