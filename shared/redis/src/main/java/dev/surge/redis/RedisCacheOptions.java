package dev.surge.redis;

import java.time.Duration;
import java.util.Objects;

/** How {@link RedisCache} reaches Redis and keeps entries: the {@code redis.*} and {@code cache.*} keys. */
public final class RedisCacheOptions {

  public static final int DEFAULT_POOL_SIZE = 8;
  public static final int DEFAULT_MAX_WAITING = 1024;
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

  private String url;
  private int poolSize = DEFAULT_POOL_SIZE;
  private int maxWaiting = DEFAULT_MAX_WAITING;
  private Duration ttl = DEFAULT_TTL;
  private Duration timeout = DEFAULT_TIMEOUT;
  private String namespace;

  public String getUrl() {
    return url;
  }

  /** {@code redis://[:password@]host[:port][/db]}. */
  public RedisCacheOptions setUrl(String url) {
    this.url = Objects.requireNonNull(url);
    return this;
  }

  public int getPoolSize() {
    return poolSize;
  }

  /** Connections of the pool. */
  public RedisCacheOptions setPoolSize(int poolSize) {
    this.poolSize = poolSize;
    return this;
  }

  public int getMaxWaiting() {
    return maxWaiting;
  }

  /** Commands that may wait for a connection. */
  public RedisCacheOptions setMaxWaiting(int maxWaiting) {
    this.maxWaiting = maxWaiting;
    return this;
  }

  public Duration getTtl() {
    return ttl;
  }

  /** How long an entry lives. */
  public RedisCacheOptions setTtl(Duration ttl) {
    this.ttl = Objects.requireNonNull(ttl);
    return this;
  }

  public Duration getTimeout() {
    return timeout;
  }

  /** A call slower than this fails, and the caller falls through to the source. */
  public RedisCacheOptions setTimeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout);
    return this;
  }

  public String getNamespace() {
    return namespace;
  }

  /** The prefix of every key, such as the service's name. */
  public RedisCacheOptions setNamespace(String namespace) {
    this.namespace = Objects.requireNonNull(namespace);
    return this;
  }
}
