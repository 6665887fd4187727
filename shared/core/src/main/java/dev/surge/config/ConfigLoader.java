package dev.surge.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the configuration layers through vertx-config: the YAML file, then the environment, then system
 * properties, over the keys' defaults. System properties use the key path itself ({@code -Dhttp.port=9000}).
 *
 * <p>Every environment variable named {@code SURGE_*} must be a key's, as every key in the file must be: a
 * mistyped one fails the start, naming the closest key's variable, instead of leaving its key at the default.
 * The exceptions are not configuration by design: {@link #CONF_ENV}, the test suite's {@link #TEST_ENV_PREFIX},
 * and the service links Kubernetes gives a pod for a Service named {@code surge-*} ({@code SURGE_CATALOG_SERVICE_HOST},
 * {@code SURGE_CATALOG_PORT=tcp://10.0.0.7:8081}...), which no key's name has the shape of. When several services
 * run in one process, a variable is known if one of them has its key.
 */
public final class ConfigLoader {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);

  /** Environment variable naming the YAML file when {@code --conf} is not given. */
  public static final String CONF_ENV = "SURGE_CONF";
  /** The test suite's variables (where its PostgreSQL and Redis are), set where services start in tests too. */
  public static final String TEST_ENV_PREFIX = "SURGE_TEST_";
  private static final String ENV_PREFIX = "SURGE_";
  /**
   * Kubernetes' service links, for each Service with a cluster IP in the pod's namespace (a headless one has none):
   * {@code NAME_SERVICE_HOST}, {@code NAME_SERVICE_PORT[_PORTNAME]}, {@code NAME_PORT_80_TCP[_PROTO|_PORT|_ADDR]},
   * and {@code NAME_PORT} (then with a value such as {@code tcp://10.0.0.7:80}).
   */
  private static final Pattern SERVICE_LINK = Pattern.compile(
    "SURGE_\\w+_(SERVICE_HOST|SERVICE_PORT(_\\w+)?|PORT_\\d{1,5}_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)");
  private static final Pattern SERVICE_LINK_PORT = Pattern.compile("(tcp|udp|sctp)://\\S+:\\d{1,5}");

  private ConfigLoader() {
  }

  public static Future<SurgeConfig> load(Vertx vertx, List<ConfigKey<?>> keys, String confFile) {
    if (confFile != null && !Files.isReadable(Path.of(confFile))) {
      return Future.failedFuture(new ConfigException("configuration file " + confFile + " cannot be read"));
    }
    Future<SurgeConfig.Layer> file = confFile == null
      ? Future.succeededFuture(SurgeConfig.Layer.of("none", Map.of()))
      : read(vertx, new ConfigStoreOptions().setType("file").setFormat("yaml")
          .setConfig(new JsonObject().put("path", confFile)))
        .map(json -> {
          Map<String, Object> flat = new LinkedHashMap<>();
          flatten("", json, flat);
          return SurgeConfig.Layer.of("file " + confFile, flat);
        })
        .recover(err -> err instanceof ConfigException ? Future.failedFuture(err)
          : Future.failedFuture(new ConfigException("configuration file " + confFile + " is not valid YAML: "
            + firstLine(err.getMessage()))));

    Future<SurgeConfig.Layer> env = read(vertx, new ConfigStoreOptions().setType("env")
      .setConfig(new JsonObject().put("raw-data", true)))
      .map(json -> {
        unknownVariables(json.getMap(), keys);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
          if (json.containsKey(key.envName())) {
            values.put(key.name(), json.getValue(key.envName()));
            origins.put(key.name(), "environment " + key.envName());
          }
        }
        return new SurgeConfig.Layer("environment", values, origins);
      });

    Future<SurgeConfig.Layer> sys = read(vertx, new ConfigStoreOptions().setType("sys")
      .setConfig(new JsonObject().put("cache", false).put("raw-data", true)))
      .map(json -> {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
          if (json.containsKey(key.name())) {
            values.put(key.name(), json.getValue(key.name()));
            origins.put(key.name(), "system property " + key.name());
          }
        }
        return new SurgeConfig.Layer("system properties", values, origins);
      });

    return Future.all(file, env, sys).map(all -> SurgeConfig.resolve(keys,
      List.of(file.result(), env.result(), sys.result())));
  }

  /** Throws naming every {@code SURGE_*} variable that is no key's, each with the closest key's variable. */
  private static void unknownVariables(Map<String, Object> environment, List<ConfigKey<?>> keys) {
    List<String> known = keys.stream().map(ConfigKey::envName).toList();
    Map<Boolean, List<String>> notKnown = environment.entrySet().stream()
      .filter(e -> e.getKey().startsWith(ENV_PREFIX) && !known.contains(e.getKey()) && !notConfiguration(e))
      .map(Map.Entry::getKey).sorted()
      .collect(java.util.stream.Collectors.partitioningBy(name -> ChassisKeys.ofAComponentNotBuiltIn(name, keys)));
    List<String> notOurs = notKnown.get(true);
    if (!notOurs.isEmpty()) {
      LOG.warn("{}: setting{} of a component this service is not built with: ignored", String.join(", ", notOurs),
        notOurs.size() > 1 ? "s" : "");
    }
    List<String> unknown = notKnown.get(false).stream()
      .map(name -> closest(name, known).map(match -> name + " (did you mean " + match + "?)").orElse(name))
      .toList();
    if (!unknown.isEmpty()) {
      throw new ConfigException("unknown environment variable" + (unknown.size() > 1 ? "s " : " ")
        + String.join(", ", unknown) + "; see --print-config for every key and its variable");
    }
  }

  private static boolean notConfiguration(Map.Entry<String, Object> variable) {
    String name = variable.getKey();
    return name.equals(CONF_ENV) || name.startsWith(TEST_ENV_PREFIX) || SERVICE_LINK.matcher(name).matches()
      || name.endsWith("_PORT") && SERVICE_LINK_PORT.matcher(String.valueOf(variable.getValue())).matches();
  }

  /** The known name nearest {@code name}, if one is a few typos away (case aside). */
  private static Optional<String> closest(String name, List<String> known) {
    String typed = name.substring(ENV_PREFIX.length()).toUpperCase(Locale.ROOT);
    int threshold = Math.max(2, typed.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = editDistance(typed, candidate.substring(ENV_PREFIX.length()));
      if (d <= threshold && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Levenshtein's distance: insertions, deletions and substitutions. Written here, not taken from commons-text,
   * because that library (with commons-lang3) put a megabyte into every service jar for these dozen lines.
   */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static Future<JsonObject> read(Vertx vertx, ConfigStoreOptions store) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
      new ConfigRetrieverOptions().setScanPeriod(0).setIncludeDefaultStores(false).addStore(store));
    return retriever.getConfig().eventually(retriever::close);
  }

  /** Nested YAML maps become dotted paths; lists and scalars are leaves. */
  private static void flatten(String prefix, JsonObject json, Map<String, Object> out) {
    for (Map.Entry<String, Object> e : json) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof JsonObject nested) {
        flatten(path, nested, out);
      } else if (e.getValue() instanceof JsonArray list) {
        out.put(path, String.join(",", list.stream().map(String::valueOf).toList()));
      } else {
        out.put(path, e.getValue());
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
