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
import java.util.Map;

/**
 * Reads the configuration layers through vertx-config: the YAML file, then the environment, then system
 * properties, over the keys' defaults. System properties use the key path itself ({@code -Dhttp.port=9000}).
 */
public final class ConfigLoader {

  /** Environment variable naming the YAML file when {@code --conf} is not given. */
  public static final String CONF_ENV = "SURGE_CONF";

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

    JsonArray envNames = new JsonArray();
    keys.forEach(k -> envNames.add(k.envName()));
    Future<SurgeConfig.Layer> env = read(vertx, new ConfigStoreOptions().setType("env")
      .setConfig(new JsonObject().put("raw-data", true).put("keys", envNames)))
      .map(json -> {
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
