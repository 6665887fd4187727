package dev.surge.config;

/** A configuration value that cannot be used: the process prints the message on one line and exits with code 2. */
public final class ConfigException extends RuntimeException {

  public static final int EXIT_CODE = 2;

  public ConfigException(String message) {
    super(message, null, false, false);
  }

  static ConfigException invalid(ConfigKey<?> key, Object value, String origin) {
    return new ConfigException(key.name() + " = \"" + key.mask(String.valueOf(value)) + "\" (from " + origin + ") is invalid: expected "
      + key.allowed());
  }
}
