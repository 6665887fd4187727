package dev.surge;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;

/**
 * A server a component needs, which the launcher starts embedded (from {@code surge-dev}, on the class path of the
 * standalone jar and of tests) when its URL key is unset.
 */
public enum DevServer {
  POSTGRES(ChassisKeys.PG_URL),
  REDIS(ChassisKeys.REDIS_URL);

  private final ConfigKey<String> url;

  DevServer(ConfigKey<String> url) {
    this.url = url;
  }

  /** The key that names the server; unset, the launcher starts an embedded one. */
  public ConfigKey<String> url() {
    return url;
  }
}
