package dev.surge.standalone;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each service's fat jar carries what the service runs and nothing of the development servers: no PostgreSQL or
 * Redis binaries (about 100 MB, for four operating systems), which only the standalone jar carries. The jars are
 * those this build packaged before this module's tests (the reactor builds the services first).
 */
class ServiceJarsCarryOnlyWhatRunsTest {

  private static final List<String> SERVICES = List.of("catalog", "orders", "jobs", "gateway", "bench");
  /**
   * A guard against a dependency pulled in by mistake: the clustered services' jars are 30.2 to 30.4 MB today, 12 MB
   * of it Hazelcast (128 MB with the servers, 31 MB before Hazelcast's YAML and ClassGraph were left out); the
   * gateway's 12.3 MB (with the console and Swagger UI's bundle), the bench service's 15.8 MB. Issue 18 brought the
   * clustered ones under 30 MB (29.9); tracing (issue 21: the OpenTelemetry SDK's traces and the OTLP exporter,
   * trimmed to spans, 0.8 MB, less 0.4 MB of Hazelcast's unread configuration files) put them 0.4 MB over, and the
   * bounds half a megabyte higher.
   */
  private static final long MAX_BYTES = 30_500_000;
  /** The services that send nothing over the event bus to another process: no cluster in their jars. */
  private static final List<String> UNCLUSTERED = List.of("gateway", "bench");
  private static final long MAX_UNCLUSTERED_BYTES = 16_000_000;
  /** The services that keep no data: no PostgreSQL client, no Flyway, no JDBC driver, no job queue. */
  private static final List<String> STATELESS = List.of("gateway");
  /** The services that cache nothing: no Redis client. */
  private static final List<String> UNCACHED = List.of("orders", "jobs", "bench");

  @Test
  void noServiceJarCarriesEmbeddedServersOrAModuleItDoesNotUse() throws IOException {
    Path services = Path.of("..").toAbsolutePath().normalize();
    assumeTrue(Files.exists(services.resolve("catalog/target/catalog.jar")),
      "the services' jars are packaged by a build of the whole project (./mvnw verify)");
    for (String service : SERVICES) {
      Path jar = services.resolve(service + "/target/" + service + ".jar");
      try (JarFile file = new JarFile(jar.toFile())) {
        List<String> binaries = file.stream().map(entry -> entry.getName())
          .filter(name -> name.matches("postgres-.*\\.txz|redis-server-.*|io/zonky/.*|redis/embedded/.*")).toList();
        assertThat(binaries).as(service + ".jar carries the development servers").isEmpty();
        if (UNCLUSTERED.contains(service)) {
          assertThat(file.stream().map(entry -> entry.getName()).filter(name -> name.startsWith("com/hazelcast/")))
            .as(service + ".jar carries a cluster it never joins").isEmpty();
        }
        if (STATELESS.contains(service)) {
          assertThat(file.stream().map(entry -> entry.getName()).filter(name -> name.startsWith("io/vertx/pgclient/")
              || name.startsWith("org/flywaydb/") || name.startsWith("org/postgresql/") || name.startsWith("dev/surge/jobs/")))
            .as(service + ".jar carries PostgreSQL, which it never uses").isEmpty();
        }
        if (UNCACHED.contains(service)) {
          assertThat(file.stream().map(entry -> entry.getName()).filter(name -> name.startsWith("io/vertx/redis/")))
            .as(service + ".jar carries a Redis client it never uses").isEmpty();
        }
      }
      assertThat(Files.size(jar)).as(service + ".jar's size in bytes")
        .isLessThanOrEqualTo(UNCLUSTERED.contains(service) ? MAX_UNCLUSTERED_BYTES : MAX_BYTES);
    }
  }
}
