package dev.surge.standalone.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./surge} starts a jar's JVM with the lean set (docs/operations.md, "Lean by default"): the serial collector,
 * a 16 MiB first heap, two compiler threads, metaspace capped, and on JDK 22 and later the native heap trimmed each
 * second; a flag of the user's replaces its own; {@code SURGE_JVM=defaults} leaves the sizing to the JVM.
 */
class TheLauncherStartsALeanJvmTest {

  private static final List<String> LEAN = List.of("-XX:+UseSerialGC", "-Xms16m", "-XX:CICompilerCount=2",
    "-XX:MaxMetaspaceSize=128m");
  private static final String TRIM = "-XX:TrimNativeHeapInterval=1000";

  @TempDir
  Path dir;

  @Test
  void aJarStartsWithTheLeanSetAndTheNativeHeapTrimmedOnJdk22AndLater() throws Exception {
    Map<String, String> jvm = launch(Map.of());

    assertThat(jvm.get("options").split(" ")).contains(LEAN.toArray(String[]::new));
    if (Integer.parseInt(jvm.get("version")) >= 22) {
      assertThat(jvm.get("options").split(" ")).contains(TRIM);
    } else {
      assertThat(jvm.get("options")).doesNotContain("TrimNativeHeapInterval");
    }
  }

  @Test
  void aFlagOfTheUsersReplacesTheLaunchersOwn() throws Exception {
    Map<String, String> jvm = launch(Map.of("JAVA_OPTS", "-XX:+UseParallelGC -XX:TrimNativeHeapInterval=5000"));

    assertThat(jvm.get("options")).doesNotContain("-XX:+UseSerialGC").doesNotContain(TRIM)
      .contains("-XX:+UseParallelGC").contains("-Xms16m");
  }

  @Test
  void withSurgeJvmDefaultsTheJvmSizesItself() throws Exception {
    Map<String, String> jvm = launch(Map.of("SURGE_JVM", "defaults"));

    assertThat(jvm.get("options")).doesNotContain("-XX:+UseSerialGC").doesNotContain("-Xms16m")
      .doesNotContain("TrimNativeHeapInterval");
  }

  /** Runs {@code ./surge} on a jar that prints its JVM's version and options, with no start-up cache. */
  private Map<String, String> launch(Map<String, String> env) throws IOException, InterruptedException {
    Path jar = dir.resolve("prints-jvm.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintsTheJvmItRunsOn.class.getName());
    String entry = PrintsTheJvmItRunsOn.class.getName().replace('.', '/') + ".class";
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
         var classFile = PrintsTheJvmItRunsOn.class.getClassLoader().getResourceAsStream(entry)) {
      jarOut.putNextEntry(new JarEntry(entry));
      classFile.transferTo(jarOut);
    }
    ProcessBuilder launcher = new ProcessBuilder("bash", Path.of("../../surge").toAbsolutePath().normalize().toString(),
      jar.toString()).redirectErrorStream(true);
    launcher.environment().keySet().removeIf(k -> k.startsWith("SURGE_") || k.endsWith("JAVA_OPTIONS")
      || k.equals("JAVA_OPTS"));
    launcher.environment().put("SURGE_AOT", "off");
    launcher.environment().putAll(env);
    Process process = launcher.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    Map<String, String> printed = new java.util.HashMap<>();
    output.lines().filter(l -> l.contains("=")).forEach(l -> printed.put(l.substring(0, l.indexOf('=')),
      l.substring(l.indexOf('=') + 1)));
    assertThat(printed).as(output).containsKeys("version", "options");
    return printed;
  }
}
