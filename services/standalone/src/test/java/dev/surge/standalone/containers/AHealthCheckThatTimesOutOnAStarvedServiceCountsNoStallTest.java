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
 * {@code HEALTHCHECK_PID}: a process under an event loop's name) and a port that accepts and never answers: once
 * asleep, as a stuck loop is; once spinning at the lowest priority on a processor two busy threads hold
 * ({@link Starvation}), as a loop on a starved host waits.
 */
class AHealthCheckThatTimesOutOnAStarvedServiceCountsNoStallTest {

  private final List<Process> processes = new ArrayList<>();
  private final List<Path> copies = new ArrayList<>();
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private ServerSocket silent;
  private Path stalls;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl")), "curl");
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
    if (silent == null) {
      return;
    }
    silent.close();
    for (Socket socket : held) {
      socket.close();
    }
    Files.deleteIfExists(stalls);
    Files.deleteIfExists(Path.of(stalls + ".code"));
    for (Path copy : copies) {
      Files.deleteIfExists(copy);
      Files.deleteIfExists(copy.getParent());
    }
  }

  @Test
  void aServiceWhoseLoopIsAsleepCountsAStallAndIsStoppedAtTheSixth() throws Exception {
    Process service = start(namedLikeAnEventLoop("sleep").toString(), "60");
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
  void aServiceWhoseLoopWaitsForAProcessorCountsNoStall() throws Exception {
    assumeTrue(Starvation.available(), "Linux with taskset and renice");
    try (Starvation starvation = Starvation.start()) {
      // The service's loop: a shell spinning under a loop's name, at the lowest priority on the busy processor
      // (bounded: it ends by itself within a minute once it has a processor to itself, whatever ends the test).
      Process service = start(namedLikeAnEventLoop("sh").toString(), "-c",
        "i=0; while [ $i -lt 30000000 ]; do i=$((i+1)); done");
      starvation.starve(String.valueOf(service.pid()));
      Thread.sleep(200);
      Files.writeString(stalls, "0\n");

      Check check = check(service.pid());
      assertThat(check.exitCode()).isEqualTo(1);
      assertThat(check.output()).contains("event loops waited for a processor");
      assertThat(Files.readString(stalls).trim()).as("no stall counted").isEqualTo("0");
      assertThat(service.isAlive()).as("not stopped").isTrue();
    }
  }

  /** A copy of a tool under an event loop's thread name, which the kernel keeps cut to 15 characters. */
  private Path namedLikeAnEventLoop(String tool) throws IOException {
    Path copy = Files.createTempDirectory("surge-loop").resolve("vert.x-eventloop-thread-0");
    Files.copy(Path.of("/bin", tool), copy);
    copy.toFile().setExecutable(true);
    copies.add(copy);
    return copy;
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
