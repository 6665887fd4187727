package dev.surge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A processor made scarce for real, for tests of what a starved host looks like: two busy threads of this JVM, at
 * its priority, pinned to one processor, onto which a thread is moved at the lowest priority, where the kernel gives
 * it about one per cent. Linux only, with util-linux's {@code taskset} and {@code renice} ({@link #available}). The
 * busy threads are the JVM's own, so nothing spins on after the test, whatever ends it.
 */
public final class Starvation implements AutoCloseable {

  private static final Path THREAD_SELF = Path.of("/proc/thread-self");
  private final String processor;
  private final List<Thread> busy = new ArrayList<>();
  private volatile boolean stopped;

  private Starvation(String processor) {
    this.processor = processor;
  }

  /** Whether this machine can starve a thread: Linux's per-thread files, taskset and renice. */
  public static boolean available() {
    return Files.isDirectory(THREAD_SELF) && onPath("taskset") && onPath("renice");
  }

  /** Two busy threads on the first processor this process may use. */
  public static Starvation start() throws Exception {
    String allowed = Files.readAllLines(Path.of("/proc/self/status")).stream()
      .filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
      .substring("Cpus_allowed_list:".length()).trim();
    Starvation starvation = new Starvation(allowed.split("[,-]")[0]);
    try {
      for (int i = 0; i < 2; i++) {
        CompletableFuture<String> id = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("starvation-busy-" + i).start(() -> {
          id.complete(nativeId());
          while (!starvation.stopped) {
            Thread.onSpinWait();
          }
        });
        starvation.busy.add(thread);
        run("taskset", "-p", "-c", starvation.processor, id.get(10, TimeUnit.SECONDS));
      }
      return starvation;
    } catch (Exception | Error e) {
      starvation.close(); // no thread left spinning in a JVM that runs other tests
      throw e;
    }
  }

  /**
   * Moves a thread (its native id: {@link #nativeId}; a process's id moves its first thread) onto the busy
   * processor, at the lowest priority.
   */
  public void starve(String nativeId) throws Exception {
    run("renice", "-n", "19", "-p", nativeId);
    run("taskset", "-p", "-c", processor, nativeId);
  }

  /** The calling thread's id in the kernel, which the JVM does not give. */
  public static String nativeId() {
    try {
      String link = Files.readSymbolicLink(THREAD_SELF).toString(); // "<pid>/task/<tid>"
      return link.substring(link.lastIndexOf('/') + 1);
    } catch (IOException e) {
      throw new IllegalStateException("no /proc/thread-self", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    for (Thread thread : busy) {
      thread.join(5_000);
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + output);
    }
  }
}
