package dev.surge.config;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective, validated configuration of a service: every key's typed value and where it came from.
 * Layers are applied in order, each overriding the one before: defaults, the YAML file, the environment,
 * system properties (and, in tests, explicit overrides).
 */
public final class SurgeConfig {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SurgeConfig.class);

  /** One source of raw values, keyed by configuration path, with a human name for each value's origin. */
  public record Layer(String name, Map<String, Object> values, Map<String, String> origins) {

    public static Layer of(String name, Map<String, ?> values) {
      Map<String, String> origins = new LinkedHashMap<>();
      values.keySet().forEach(k -> origins.put(k, name));
      return new Layer(name, new LinkedHashMap<>(values), origins);
    }
  }

  private final Map<String, ConfigKey<?>> keys;
  private final Map<String, Object> values;
  private final Map<String, String> origins;

  private SurgeConfig(Map<String, ConfigKey<?>> keys, Map<String, Object> values, Map<String, String> origins) {
    this.keys = keys;
    this.values = values;
    this.origins = origins;
  }

  /** Validates every layer's values against the keys; the first bad value or unknown key throws. */
  public static SurgeConfig resolve(List<ConfigKey<?>> keyList, List<Layer> layers) {
    Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    keyList.forEach(k -> keys.put(k.name(), k));
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    for (ConfigKey<?> key : keys.values()) {
      values.put(key.name(), key.defaultValue());
      origins.put(key.name(), "default");
    }
    for (Layer layer : layers) {
      for (Map.Entry<String, Object> e : layer.values().entrySet()) {
        ConfigKey<?> key = keys.get(e.getKey());
        String origin = layer.origins().getOrDefault(e.getKey(), layer.name());
        if (key == null && ChassisKeys.ofAComponentNotBuiltIn(e.getKey(), keyList)) {
          LOG.warn("{} (from {}) is a setting of a component this service is not built with: ignored", e.getKey(), origin);
          continue;
        }
        if (key == null) {
          throw new ConfigException("unknown key " + e.getKey() + " (from " + origin + "); see --print-config for every key");
        }
        if (e.getValue() == null) {
          continue;
        }
        try {
          values.put(key.name(), key.parse(e.getValue()));
        } catch (IllegalArgumentException ex) {
          throw ConfigException.invalid(key, e.getValue(), origin);
        }
        origins.put(key.name(), origin);
      }
    }
    return new SurgeConfig(Collections.unmodifiableMap(keys), values, origins);
  }

  /** Defaults only, plus the given overrides: for tests and embedding. */
  public static SurgeConfig of(List<ConfigKey<?>> keys, Map<String, ?> overrides) {
    return resolve(keys, List.of(Layer.of("overrides", overrides)));
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    if (!keys.containsKey(key.name())) {
      throw new IllegalArgumentException("key not registered with this service: " + key.name());
    }
    return (T) values.get(key.name());
  }

  public String origin(ConfigKey<?> key) {
    return origins.get(key.name());
  }

  /** A copy with some values replaced and validated, such as the address of a started embedded database. */
  public SurgeConfig with(String origin, Map<String, ?> replacements) {
    SurgeConfig parsed = resolve(keys(), List.of(Layer.of(origin, replacements)));
    Map<String, Object> newValues = new LinkedHashMap<>(values);
    Map<String, String> newOrigins = new LinkedHashMap<>(origins);
    replacements.keySet().forEach(k -> {
      newValues.put(k, parsed.values.get(k));
      newOrigins.put(k, origin);
    });
    return new SurgeConfig(keys, newValues, newOrigins);
  }

  /**
   * A copy where every value still at its default takes the default {@code own} gives for its key instead: in
   * one process running several services on one configuration, each service keeps its own defaults (such as its
   * job queues) for what nobody configured.
   */
  public SurgeConfig withDefaultsOf(List<ConfigKey<?>> own) {
    Map<String, Object> newValues = new LinkedHashMap<>(values);
    for (ConfigKey<?> key : own) {
      if (keys.containsKey(key.name()) && "default".equals(origins.get(key.name()))) {
        newValues.put(key.name(), key.defaultValue());
      }
    }
    return new SurgeConfig(keys, newValues, origins);
  }

  /** Every key with its value (secrets masked) and its origin, as --print-config shows it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    for (ConfigKey key : keys.values()) {
      Object v = values.get(key.name());
      out.put(key.name(), new JsonObject().put("value", v == null ? null : key.print(v))
        .put("env", key.envName()).put("from", origins.get(key.name())));
    }
    return out;
  }

  public String describe() {
    StringBuilder sb = new StringBuilder();
    int width = keys.keySet().stream().mapToInt(String::length).max().orElse(10);
    JsonObject json = toJson();
    for (String name : keys.keySet()) {
      JsonObject entry = json.getJsonObject(name);
      String value = entry.getString("value");
      sb.append(String.format("%-" + width + "s = %s", name, value == null ? "(unset)" : value));
      sb.append("    # ").append(entry.getString("from")).append('\n');
    }
    return sb.toString();
  }

  public List<ConfigKey<?>> keys() {
    return List.copyOf(keys.values());
  }
}
