package dev.surge.standalone.containers;

import dev.surge.ServiceDefinition;
import dev.surge.bench.BenchMain;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.standalone.StandaloneMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The repository's modules and the services they run, for the checks that the container files run each service
 * as it is configured: a SERVICE build argument names a module under services/, whose jar runs the service of
 * that name.
 */
public final class ServiceModules {

  static final Path ROOT = Path.of("..", "..");

  private static final Map<String, ServiceDefinition> SERVICES = Stream.concat(StandaloneMain.services().stream(),
    Stream.of(BenchMain.definition())).collect(Collectors.toMap(ServiceDefinition::name, Function.identity()));

  private ServiceModules() {
  }

  /** The service a SERVICE build argument names; fails when none has that name. */
  static ServiceDefinition definition(String service) {
    ServiceDefinition definition = SERVICES.get(service);
    if (definition == null) {
      throw new AssertionError("no service named " + service + "; the services are " + SERVICES.keySet());
    }
    return definition;
  }

  /** Every service, by name. */
  static Map<String, ServiceDefinition> all() {
    return SERVICES;
  }

  /** The service's key that an environment variable sets, or null when none does. */
  static ConfigKey<?> keyOf(String service, String envName) {
    return definition(service).configKeys().stream().filter(k -> k.envName().equals(envName)).findFirst()
      .orElse(null);
  }

  /** The port the service listens on when nothing configures one. */
  static int defaultPort(String service) {
    return (Integer) keyOf(service, ChassisKeys.HTTP_PORT.envName()).defaultValue();
  }

  /**
   * Whether the service's jar can join a cluster: its module depends on surge-cluster. One told to cluster without
   * it does not start ({@code cluster.enabled} true for a jar without the cluster is a configuration error).
   */
  public static boolean canCluster(String service) {
    return projectDependencies(pom("services/" + service)).contains("surge-cluster");
  }

  /** The modules of the parent POM, such as {@code services/catalog}. */
  static List<String> modules() {
    return all(read(ROOT.resolve("pom.xml")), "<module>([^<]+)</module>");
  }

  /** The module's own POM. */
  static String pom(String module) {
    return read(ROOT.resolve(module).resolve("pom.xml"));
  }

  /** The {@code <artifactId>} of each dependency of the POM on the project's own artifacts. */
  static List<String> projectDependencies(String pom) {
    return all(pom.replaceAll("(?s)<parent>.*?</parent>", ""), "<groupId>dev\\.surge</groupId>\\s*<artifactId>([^<]+)</artifactId>");
  }

  /** The module's own artifactId: the first after its parent's. */
  static String artifactId(String module) {
    String pom = pom(module).replaceAll("(?s)<parent>.*?</parent>", "");
    return all(pom, "<artifactId>([^<]+)</artifactId>").getFirst();
  }

  static List<String> all(String text, String regex) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
