package dev.surge.standalone.containers;

import dev.surge.testing.Starvation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.surge.standalone.containers.ServiceModules.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The image's health check stops a service whose liveness has not answered in 3 s six checks in a row. A check
 * that timed out while the service's threads waited for a processor (a starved host) counts no stall: restarting
 * there only adds a start to the shortage. The script runs here against a stand-in for the JVM (its
 * {@code HEALTHCHECK_PID}) and a port that accepts and never answers: once a process asleep, as a stuck one is;
 * once this JVM with two busy threads on one processor ({@link Starvation}), whose threads wait for it.
 */
class AHealthCheckThatTimesOutOnAStarvedServiceCountsNoStallTest {

  private final List<Process> processes = new ArrayList<>();
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private ServerSocket silent;
  private Path stalls;

  @BeforeEach
  void start() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> { // accepts, reads nothing, answers nothing
      try {
        while (true) {
          held.add(silent.accept());
        }
      } catch (IOException closed) {
        // the test is over
      }
    });
    stalls = Files.createTempFile("surge-liveness-stalls", "");
  }

  @AfterEach
  void stop() throws IOException {
    processes.forEach(Process::destroyForcibly);
    silent.close();
    for (Socket socket : held) {
      socket.close();
    }
    Files.deleteIfExists(stalls);
  }

  @Test
  void aServiceAsleepCountsAStallAndIsStoppedAtTheSixth() throws Exception {
    Process service = start("sleep", "60");
    Files.writeString(stalls, "4\n");

    Check first = check(service.pid());
    assertThat(first.exitCode()).isEqualTo(1);
    assertThat(Files.readString(stalls).trim()).as(first.output()).isEqualTo("5");
    assertThat(service.isAlive()).isTrue();

    Check sixth = check(service.pid());
    assertThat(sixth.output()).contains("6 checks in a row: stopping the service");
    assertThat(service.waitFor(10, TimeUnit.SECONDS)).as("SIGTERM to the service").isTrue();
  }

  @Test
  void aServiceWaitingForAProcessorCountsNoStall() throws Exception {
    assumeTrue(Starvation.available(), "Linux with taskset and renice");
    // The service: this JVM, two of whose threads share one processor (each waits half the time for it).
    ProcessHandle service = ProcessHandle.current();
    Files.writeString(stalls, "0\n"); // were it counted, one check could not stop this JVM
    try (Starvation starvation = Starvation.start()) {
      Check check = check(service.pid());
      assertThat(check.exitCode()).isEqualTo(1);
      assertThat(check.output()).contains("waited for a processor");
    }
    assertThat(Files.readString(stalls).trim()).as("no stall counted").isEqualTo("0");
  }

  private record Check(int exitCode, String output) {
  }

  private Check check(long service) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("sh", ROOT.resolve("ops/docker/healthcheck.sh").toString())
      .redirectErrorStream(true);
    builder.environment().put("SURGE_HTTP_PORT", String.valueOf(silent.getLocalPort()));
    builder.environment().put("HEALTHCHECK_PID", String.valueOf(service));
    builder.environment().put("HEALTHCHECK_STALLS", stalls.toString());
    Process check = builder.start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Check(check.exitValue(), output);
  }

  private Process start(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(process);
    return process;
  }
}
