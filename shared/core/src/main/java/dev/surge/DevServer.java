package dev.surge;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;

/**
 * A server a component needs, which the launcher starts embedded (from {@code surge-dev}, on the class path of the
 * standalone jar and of tests) when its URL key is unset.
 */
public enum DevServer {
  POSTGRES(ChassisKeys.PG_URL, "PostgreSQL"),
  REDIS(ChassisKeys.REDIS_URL, "Redis");

  private final ConfigKey<String> url;
  private final String title;

  DevServer(ConfigKey<String> url, String title) {
    this.url = url;
    this.title = title;
  }

  /** The key that names the server; unset, the launcher starts an embedded one. */
  public ConfigKey<String> url() {
    return url;
  }

  public String title() {
    return title;
  }
}
