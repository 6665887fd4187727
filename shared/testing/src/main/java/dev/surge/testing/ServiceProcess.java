package dev.surge.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A service's main class run as a separate JVM process, as a user runs the jar: for exit codes and signals. */
public final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final Path output;

  private ServiceProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static ServiceProcess start(Class<?> mainClass, Map<String, String> env, String... args) throws IOException {
    return start(List.of(), mainClass, env, args);
  }

  /** Started through {@code launcher} ({@code nohup}, say), which runs the JVM's command line it is given. */
  public static ServiceProcess start(List<String> launcher, Class<?> mainClass, Map<String, String> env,
                                     String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of(java, "-cp", classpath, mainClass.getName()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("surge-process", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("SURGE_"));
    builder.environment().putAll(env);
    return new ServiceProcess(builder.start(), output);
  }

  /** Waits for the process to exit and returns its exit code. */
  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("process did not exit in " + seconds + "s; output:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGTERM, as an orchestrator stops a container. */
  public void terminate() {
    process.destroy();
  }

  /** Sends a signal by name (TTIN, HUP...), as {@code kill -s} does. */
  public void signal(String name) throws IOException, InterruptedException {
    int exit = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kill -s " + name + " exited " + exit);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  public static Path writeTemp(String suffix, String content) throws IOException {
    Path file = File.createTempFile("surge", suffix).toPath();
    Files.writeString(file, content);
    return file;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
