package dev.surge.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One typed configuration key: its dotted path, default, what values are allowed, and whether it is a secret.
 * Every key has an environment name: {@code SURGE_} + the path upper-cased, {@code .} and camel humps to {@code _}
 * ({@code http.maxBodySize} is {@code SURGE_HTTP_MAX_BODY_SIZE}).
 */
public final class ConfigKey<T> {

  private final String name;
  private final T defaultValue;
  private final String allowed;
  private final String description;
  private final Function<Object, T> parser;
  private final Function<T, String> printer;
  private final UnaryOperator<String> masker;

  private ConfigKey(String name, T defaultValue, String allowed, String description,
                    Function<Object, T> parser, Function<T, String> printer, UnaryOperator<String> masker) {
    this.name = Objects.requireNonNull(name);
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.description = description;
    this.parser = parser;
    this.printer = printer;
    this.masker = masker;
  }

  public String name() {
    return name;
  }

  /** The default, or {@code null} when the key is optional and unset by default. */
  public T defaultValue() {
    return defaultValue;
  }

  public String allowed() {
    return allowed;
  }

  public String description() {
    return description;
  }

  public boolean secret() {
    return masker != null;
  }

  public String envName() {
    return envName(name);
  }

  public static String envName(String path) {
    StringBuilder sb = new StringBuilder("SURGE_");
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.' || c == '-') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  /** Parses a raw value (a string from the environment, or a YAML scalar); throws with the allowed values. */
  public T parse(Object raw) {
    try {
      T value = parser.apply(raw);
      if (value == null) {
        throw new IllegalArgumentException();
      }
      return value;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(allowed, e);
    }
  }

  /** The value as --print-config shows it: secrets masked, and the password of any URL in it. */
  public String print(T value) {
    if (value == null) {
      return "";
    }
    return mask(printer.apply(value));
  }

  /** A value as any message may show it, valid or not: a secret key's masked, and the password of any URL in it. */
  public String mask(String text) {
    return Secrets.maskUrlPasswords(masker == null ? text : masker.apply(text));
  }

  /** The same key with another default: a service sets its own port or name this way. */
  public ConfigKey<T> withDefault(T newDefault) {
    return new ConfigKey<>(name, newDefault, allowed, description, parser, printer, masker);
  }

  /** The same key, masked when printed by the given function. */
  public ConfigKey<T> secret(UnaryOperator<String> mask) {
    return new ConfigKey<>(name, defaultValue, allowed, description, parser, printer, mask);
  }

  // ---- factories -----------------------------------------------------------------------------------------

  public static ConfigKey<Integer> integer(String name, Integer def, int min, int max, String description) {
    return new ConfigKey<>(name, def, "an integer from " + min + " to " + max, description, raw -> {
      long v = parseLong(raw);
      if (v < min || v > max) {
        throw new IllegalArgumentException();
      }
      return (int) v;
    }, String::valueOf, null);
  }

  /** A share from 0 to 1, such as {@code 0.1}. */
  public static ConfigKey<Double> ratio(String name, double def, String description) {
    return new ConfigKey<>(name, def, "a number from 0 to 1 such as 0.1", description, raw -> {
      double v = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(raw.toString().trim());
      if (!(v >= 0 && v <= 1)) { // NaN too
        throw new IllegalArgumentException();
      }
      return v;
    }, String::valueOf, null);
  }

  public static ConfigKey<Boolean> bool(String name, boolean def, String description) {
    return new ConfigKey<>(name, def, "true or false", description, raw -> {
      if (raw instanceof Boolean b) {
        return b;
      }
      String s = raw.toString().trim().toLowerCase(Locale.ROOT);
      return switch (s) {
        case "true", "yes", "on" -> Boolean.TRUE;
        case "false", "no", "off" -> Boolean.FALSE;
        default -> throw new IllegalArgumentException();
      };
    }, String::valueOf, null);
  }

  public static ConfigKey<String> string(String name, String def, Pattern pattern, String allowed, String description) {
    return new ConfigKey<>(name, def, allowed, description, raw -> {
      if (!(raw instanceof String || raw instanceof Number || raw instanceof Boolean)) {
        throw new IllegalArgumentException();
      }
      String s = raw.toString().trim();
      if (pattern != null && !pattern.matcher(s).matches()) {
        throw new IllegalArgumentException();
      }
      return s;
    }, s -> s, null);
  }

  public static ConfigKey<String> oneOf(String name, String def, List<String> values, String description) {
    return new ConfigKey<>(name, def, "one of " + String.join(", ", values), description, raw -> {
      String s = raw.toString().trim().toLowerCase(Locale.ROOT);
      if (!values.contains(s)) {
        throw new IllegalArgumentException();
      }
      return s;
    }, s -> s, null);
  }

  /** A duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number is milliseconds. */
  public static ConfigKey<Duration> duration(String name, Duration def, Duration min, Duration max, String description) {
    String allowed = "a duration from " + Durations.format(min) + " to " + Durations.format(max)
      + " such as 500ms, 30s, 5m (a bare number is milliseconds)";
    return new ConfigKey<>(name, def, allowed, description, raw -> {
      Duration d = Durations.parse(raw.toString());
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException();
      }
      return d;
    }, Durations::format, null);
  }

  /** A size in bytes: {@code 1048576}, {@code 512KiB}, {@code 1MiB} (k/KB/KiB and m/MB/MiB all mean powers of 1024). */
  public static ConfigKey<Long> bytes(String name, long def, long min, long max, String description) {
    String allowed = "a size from " + ByteSizes.format(min) + " to " + ByteSizes.format(max) + " such as 65536, 64KiB, 1MiB";
    return new ConfigKey<>(name, def, allowed, description, raw -> {
      long v = ByteSizes.parse(raw.toString());
      if (v < min || v > max) {
        throw new IllegalArgumentException();
      }
      return v;
    }, ByteSizes::format, null);
  }

  /** Values each matching {@code item}, comma-separated (or a YAML list); empty by default. */
  public static ConfigKey<List<String>> list(String name, Pattern item, String allowed, String description) {
    return list(name, p -> item.matcher(p).matches(), allowed, description);
  }

  /** Addresses as {@code host:port}, comma-separated (or a YAML list), such as {@code catalog-1:5701,catalog-2:5701}. */
  public static ConfigKey<List<String>> hostPorts(String name, String description) {
    Pattern address = Pattern.compile("[A-Za-z0-9.\\-]{1,253}:\\d{1,5}");
    return list(name, p -> address.matcher(p).matches() && Integer.parseInt(p.substring(p.lastIndexOf(':') + 1)) <= 65535,
      "comma-separated host:port addresses such as node-1:5701,node-2:5701", description);
  }

  /** Values each passing {@code valid}, comma-separated (or a YAML list); empty by default. */
  public static ConfigKey<List<String>> list(String name, java.util.function.Predicate<String> valid, String allowed,
                                              String description) {
    return new ConfigKey<>(name, List.of(), allowed, description, raw -> {
      List<?> parts = raw instanceof List<?> l ? l : List.of((Object[]) raw.toString().split(","));
      List<String> out = new java.util.ArrayList<>();
      for (Object part : parts) {
        String p = part.toString().trim();
        if (p.isEmpty() && parts.size() == 1) {
          continue;
        }
        if (!valid.test(p)) {
          throw new IllegalArgumentException();
        }
        out.add(p);
      }
      return List.copyOf(out);
    }, l -> String.join(",", l), null);
  }

  /** A comma-separated list of {@code name=duration} pairs, such as {@code orders=5s,jobs=2m}. */
  public static ConfigKey<Map<String, Duration>> namedDurations(String name, Duration min, Duration max,
                                                               String description) {
    Pattern entry = Pattern.compile("([a-z][a-z0-9-]{0,39})=(\\S+)");
    return new ConfigKey<>(name, Map.of(), "comma-separated name=duration pairs such as orders=5s,jobs=2m (each "
      + Durations.format(min) + " to " + Durations.format(max) + ")", description, raw -> {
      Map<String, Duration> out = new LinkedHashMap<>();
      String s = raw.toString().trim();
      if (s.isEmpty()) {
        return out;
      }
      for (String part : s.split(",")) {
        java.util.regex.Matcher m = entry.matcher(part.trim());
        if (!m.matches()) {
          throw new IllegalArgumentException();
        }
        Duration d = Durations.parse(m.group(2));
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0 || out.put(m.group(1), d) != null) {
          throw new IllegalArgumentException();
        }
      }
      return out;
    }, m -> String.join(",", m.entrySet().stream().map(e -> e.getKey() + "=" + Durations.format(e.getValue())).toList()),
      null);
  }

  /** A comma-separated list of {@code name=value} integer pairs, such as {@code reports=4,images=2}. */
  public static ConfigKey<Map<String, Integer>> namedSizes(String name, String description) {
    Pattern entry = Pattern.compile("[a-z][a-z0-9-]{0,39}=\\d{1,4}");
    return new ConfigKey<>(name, Map.of(), "comma-separated name=size pairs such as reports=4,images=2 (size 1..1000)",
      description, raw -> {
      Map<String, Integer> out = new LinkedHashMap<>();
      String s = raw.toString().trim();
      if (s.isEmpty()) {
        return out;
      }
      for (String part : s.split(",")) {
        String p = part.trim();
        if (!entry.matcher(p).matches()) {
          throw new IllegalArgumentException();
        }
        String[] kv = p.split("=");
        int size = Integer.parseInt(kv[1]);
        if (size < 1 || size > 1000 || out.put(kv[0], size) != null) {
          throw new IllegalArgumentException();
        }
      }
      return out;
    }, m -> String.join(",", m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()), null);
  }

  private static long parseLong(Object raw) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof Number) {
      throw new IllegalArgumentException();
    }
    return Long.parseLong(raw.toString().trim());
  }

  @Override
  public String toString() {
    return name;
  }
}
