package dev.surge.standalone.docs;

import dev.surge.ServiceDefinition;
import dev.surge.bench.BenchMain;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.pg.JobKeys;
import dev.surge.pg.PgKeys;
import dev.surge.redis.RedisKeys;
import dev.surge.standalone.StandaloneMain;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every key of the chassis, of the job queue and of each service, with its variable,
 * default, meaning and allowed values, as the keys define them: its tables are made from the {@link ConfigKey}s,
 * and this test fails when the page says anything else. {@code -Dsurge.docs.write=true} writes the tables anew.
 */
class TheConfigurationPageIsGeneratedFromTheKeysTest {

  static final Path PAGE = Path.of("..", "..", "docs", "configuration.md");
  static final String BEGIN = "<!-- The tables below are generated from the ConfigKeys by "
    + "TheConfigurationPageIsGeneratedFromTheKeysTest (-Dsurge.docs.write=true writes them): do not edit them. -->";
  static final String END = "<!-- End of the generated tables. -->";
  /** Defaults that depend on the machine, named rather than printed. */
  private static final Map<String, String> MACHINE_DEFAULTS = Map.of("http.instances", "processors",
    "vertx.eventLoops", "2 × processors");

  @Test
  void theTablesAreTheKeysAsDefined() throws Exception {
    String page = Files.readString(PAGE);
    String generated = generated();
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    assertThat(begin).as(PAGE + " holds the generated tables' markers").isNotNegative();
    assertThat(end).as(PAGE + " holds the generated tables' end marker").isGreaterThan(begin);
    String current = page.substring(begin + BEGIN.length(), end);
    if (Boolean.getBoolean("surge.docs.write") && !current.equals(generated)) {
      Files.writeString(PAGE, page.substring(0, begin + BEGIN.length()) + generated + page.substring(end));
      return;
    }
    assertThat(current).as("the generated tables of " + PAGE + " (run this test with -Dsurge.docs.write=true "
      + "to write them anew)").isEqualTo(generated);
  }

  static String generated() {
    List<ServiceDefinition> services = Stream.concat(StandaloneMain.services().stream(),
      Stream.of(BenchMain.definition())).toList();
    Set<String> shared = Stream.of(ChassisKeys.all(), PgKeys.all(), RedisKeys.all(), JobKeys.all())
      .flatMap(List::stream).map(ConfigKey::name).collect(Collectors.toSet());
    StringBuilder out = new StringBuilder("\n\n## Every service's keys (the chassis)\n\n");
    table(out, ChassisKeys.all());
    serviceDefaults(out, services, ChassisKeys.all());
    component(out, services, "PostgreSQL's keys", "`PostgresComponent`, from surge-pg", PgKeys.all());
    component(out, services, "The Redis cache's keys", "`RedisComponent`, from surge-redis", RedisKeys.all());
    component(out, services, "The job queue's keys", "`JobsComponent`, from surge-pg", JobKeys.all());
    out.append("\n## Each service's own keys\n");
    for (ServiceDefinition service : services) {
      List<ConfigKey<?>> own = new ArrayList<>();
      service.configKeys().stream().filter(k -> !shared.contains(k.name())).forEach(own::add);
      out.append("\n### ").append(service.name()).append("\n\n");
      if (own.isEmpty()) {
        out.append("None.\n");
      } else {
        table(out, own);
      }
    }
    return out.append("\n").toString();
  }

  /** A component's keys: which services have them, the table, and the services' own defaults. */
  private static void component(StringBuilder out, List<ServiceDefinition> services, String title, String component,
                                List<ConfigKey<?>> keys) {
    out.append("\n## ").append(title).append("\n\nThose of the services built with ").append(component).append(": ")
      .append(services.stream().filter(s -> s.configKeys().stream().anyMatch(k -> k.name().equals(keys.getFirst().name())))
        .map(ServiceDefinition::name).collect(Collectors.joining(", ")))
      .append(".\n\n");
    table(out, keys);
    serviceDefaults(out, services, keys);
  }

  /** The services' own defaults for the {@code shared} keys, where they differ from the keys' own. */
  private static void serviceDefaults(StringBuilder out, List<ServiceDefinition> services, List<ConfigKey<?>> shared) {
    Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
    shared.forEach(k -> byName.put(k.name(), k));
    StringBuilder rows = new StringBuilder();
    for (ServiceDefinition service : services) {
      for (ConfigKey<?> key : service.configKeys()) {
        ConfigKey<?> base = byName.get(key.name());
        if (base != null && !Objects.equals(base.defaultValue(), key.defaultValue())) {
          rows.append("| ").append(service.name()).append(" | `").append(key.name()).append("` | ")
            .append(printedDefault(key)).append(" |\n");
        }
      }
    }
    out.append(rows.isEmpty() ? "\nEvery service keeps these defaults.\n"
      : "\nEach service's own defaults for these:\n\n| service | key | default |\n|---|---|---|\n" + rows);
  }

  private static void table(StringBuilder out, List<ConfigKey<?>> keys) {
    out.append("| key | environment | default | meaning |\n|---|---|---|---|\n");
    for (ConfigKey<?> key : keys) {
      out.append("| `").append(key.name()).append("` | `").append(key.envName()).append("` | ")
        .append(printedDefault(key)).append(" | ").append(cell(key.description()));
      if (key.allowed() != null) {
        out.append(". Allowed: ").append(cell(key.allowed()));
      }
      out.append(" |\n");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String printedDefault(ConfigKey key) {
    String machine = MACHINE_DEFAULTS.get(key.name());
    if (machine != null) {
      return machine;
    }
    if (key.defaultValue() == null) {
      return "(none)";
    }
    String printed = key.print(key.defaultValue());
    return printed.isEmpty() ? "(none)" : cell(printed);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
