package dev.surge.testing;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's docker-compose.yml as Docker reads it when no variable is set: merge keys resolved, and
 * {@code ${VAR:-default}} replaced by its default. For tests run from a module.
 */
public final class ComposeFile {

  private static final Pattern VARIABLE = Pattern.compile(
    "\\$\\$|\\$\\{(\\w+)(?:(:?[-?])([^}]*))?}|\\$(\\w+)");

  private final Map<String, Object> compose;

  private ComposeFile(Map<String, Object> compose) {
    this.compose = compose;
  }

  /** Reads it from the repository root, two levels above a service module. */
  public static ComposeFile read() throws IOException {
    return parse(Files.readString(Path.of("..", "..", "docker-compose.yml")));
  }

  @SuppressWarnings("unchecked")
  static ComposeFile parse(String yaml) {
    return new ComposeFile((Map<String, Object>) interpolate(new Yaml().load(yaml)));
  }

  @SuppressWarnings("unchecked")
  public Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  /** One service by name; fails when there is none. */
  public ComposeService service(String name) {
    Map<String, Object> service = services().get(name);
    if (service == null) {
      throw new AssertionError("no service " + name + " in docker-compose.yml; it has " + services().keySet());
    }
    return new ComposeService(name, service);
  }

  /**
   * The services built from the repository's Dockerfile that run the Surge service its SERVICE argument names: not
   * those that run a command of their own from the image ({@code entrypoint}), such as cluster-keys.
   */
  public List<ComposeService> surgeServices() {
    List<ComposeService> built = new ArrayList<>();
    services().forEach((name, service) -> {
      ComposeService s = new ComposeService(name, service);
      if (s.buildArg("SERVICE") != null && !service.containsKey("entrypoint")) {
        built.add(s);
      }
    });
    return built;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> volumes() {
    return (Map<String, Object>) compose.get("volumes");
  }

  /** The compose network {@code name}'s definition, or null. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> network(String name) {
    return compose.get("networks") instanceof Map<?, ?> networks && networks.get(name) instanceof Map<?, ?> network
      ? (Map<String, Object>) network : null;
  }

  /** The subnet of the compose network {@code name}, as its IPAM configuration gives it, or null. */
  public String subnet(String name) {
    return ipam(name, "subnet");
  }

  /** The range of the compose network {@code name} that Docker gives containers addresses from, or null. */
  public String ipRange(String name) {
    return ipam(name, "ip_range");
  }

  private String ipam(String name, String field) {
    if (compose.get("networks") instanceof Map<?, ?> networks && networks.get(name) instanceof Map<?, ?> network
      && network.get("ipam") instanceof Map<?, ?> ipam && ipam.get("config") instanceof List<?> config
      && !config.isEmpty() && config.getFirst() instanceof Map<?, ?> first) {
      return (String) first.get(field);
    }
    return null;
  }

  /** Every string of the file with its variables replaced as Compose does when none is set. */
  private static Object interpolate(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, interpolate(v)));
      return copy;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(ComposeFile::interpolate).toList();
    }
    if (node instanceof String text) {
      Matcher m = VARIABLE.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value;
        if (m.group().equals("$$")) {
          value = "$";
        } else if (m.group(2) == null) {
          value = ""; // unset: Compose warns and uses an empty string
        } else if (m.group(2).endsWith("?")) {
          throw new IllegalStateException("docker-compose.yml requires " + m.group(1) + ": " + m.group(3));
        } else {
          value = m.group(3);
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return out.toString();
    }
    return node;
  }
}
