package dev.surge.redis;

import dev.surge.config.ConfigKey;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The configuration keys of a service built with the Redis cache ({@link RedisComponent}); {@code redis.url} is the core's. */
public final class RedisKeys {

  private RedisKeys() {
  }

  public static final ConfigKey<Integer> POOL_SIZE = ConfigKey.integer("redis.poolSize",
    RedisCacheOptions.DEFAULT_POOL_SIZE, 1, 1000,
    "Connections of the Redis pool");
  public static final ConfigKey<Integer> MAX_WAITING = ConfigKey.integer("redis.maxWaiting",
    RedisCacheOptions.DEFAULT_MAX_WAITING, 1, 1_000_000,
    "Commands waiting for a Redis connection");
  public static final ConfigKey<Duration> CACHE_TTL = ConfigKey.duration("cache.ttl", RedisCacheOptions.DEFAULT_TTL,
    Duration.ofSeconds(1), Duration.ofDays(1), "How long a cached entry lives in Redis");
  public static final ConfigKey<Duration> CACHE_TIMEOUT = ConfigKey.duration("cache.timeout", RedisCacheOptions.DEFAULT_TIMEOUT,
    Duration.ofMillis(10), Duration.ofSeconds(10), "A Redis call slower than this falls through to PostgreSQL");
  public static final ConfigKey<String> CACHE_NAMESPACE = ConfigKey.string("cache.namespace", null,
    Pattern.compile("[A-Za-z0-9._:-]{1,64}"), "up to 64 letters, digits and . _ : -",
    "Prefix of every cache key; default the service name");

  public static List<ConfigKey<?>> all() {
    return List.of(POOL_SIZE, MAX_WAITING, CACHE_TTL, CACHE_TIMEOUT, CACHE_NAMESPACE);
  }
}
