package dev.surge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One service of docker-compose.yml, with what Compose gives it spelled out. */
public record ComposeService(String name, Map<String, Object> definition) {

  /** A build argument, or null when the service is not built or has no such argument. */
  public String buildArg(String arg) {
    if (definition.get("build") instanceof Map<?, ?> build && build.get("args") instanceof Map<?, ?> args) {
      Object value = args.get(arg);
      return value == null ? null : value.toString();
    }
    return null;
  }

  /** The build's context and Dockerfile (Compose's default {@code Dockerfile} when it names none). */
  public String dockerfile() {
    if (definition.get("build") instanceof Map<?, ?> build) {
      Object file = build.get("dockerfile");
      return build.get("context") + "/" + (file == null ? "Dockerfile" : file);
    }
    return definition.get("build") == null ? null : definition.get("build") + "/Dockerfile";
  }

  /** Its environment, in either of Compose's forms, every value as the process reads it: a string. */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    Object given = definition.get("environment");
    if (given instanceof Map<?, ?> map) {
      map.forEach((k, v) -> environment.put(k.toString(), v == null ? "" : v.toString()));
    } else if (given instanceof List<?> list) {
      for (Object entry : list) {
        String e = entry.toString();
        int eq = e.indexOf('=');
        environment.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
      }
    }
    return environment;
  }

  /**
   * The port it serves HTTP on, as the image's health check reads it: {@code SURGE_HTTP_PORT} when set, else the
   * {@code HTTP_PORT} it was built with.
   */
  public int httpPort() {
    String port = environment().getOrDefault("SURGE_HTTP_PORT", buildArg("HTTP_PORT"));
    if (port == null && buildArg("SERVICE") != null) {
      try {
        Integer image = Dockerfile.read().httpPorts().get(buildArg("SERVICE"));
        port = image == null ? null : image.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (port == null) {
      throw new AssertionError(name + " has neither SURGE_HTTP_PORT nor an image that knows its port");
    }
    return Integer.parseInt(port);
  }

  /** Started by a plain {@code docker compose up}: in no profile. */
  public boolean startedByDefault() {
    return definition.get("profiles") == null;
  }

  /** The services it waits for, each with its condition ({@code service_started} for the short form). */
  public Map<String, String> dependsOn() {
    Map<String, String> conditions = new LinkedHashMap<>();
    Object given = definition.get("depends_on");
    if (given instanceof Map<?, ?> map) {
      map.forEach((k, v) -> conditions.put(k.toString(), v instanceof Map<?, ?> longForm
        ? String.valueOf(longForm.get("condition")) : "service_started"));
    } else if (given instanceof List<?> list) {
      list.forEach(k -> conditions.put(k.toString(), "service_started"));
    }
    return conditions;
  }

  /** Its fixed address on {@code network} ({@code networks.<network>.ipv4_address}); null when it has none there. */
  public String ipv4(String network) {
    if (definition.get("networks") instanceof Map<?, ?> networks && networks.get(network) instanceof Map<?, ?> on) {
      Object address = on.get("ipv4_address");
      return address == null ? null : address.toString();
    }
    return null;
  }

  public Object get(String key) {
    return definition.get(key);
  }
}
