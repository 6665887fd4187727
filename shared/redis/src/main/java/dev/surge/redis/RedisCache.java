package dev.surge.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The process's Redis, used as a cache: every call goes through a circuit breaker with a short timeout, so a
 * slow or absent Redis costs a request little; callers fall through to PostgreSQL, and the breaker lets a
 * call through now and then, so the cache comes back by itself when Redis does.
 */
public final class RedisCache {

  public static final String POOL_NAME = "surge-redis";
  public static final int DEFAULT_BREAKER_MAX_FAILURES = 3;
  public static final long DEFAULT_BREAKER_RESET_MS = 1000;

  private final Redis client;
  private final RedisAPI api;
  private final CircuitBreaker breaker;
  private final String namespace;
  private final Duration ttl;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, ReadThroughCache<?>> caches = new ConcurrentHashMap<>();

  public RedisCache(Vertx vertx, RedisCacheOptions cache, MeterRegistry registry) {
    Duration timeout = cache.getTimeout();
    RedisOptions options = new RedisOptions()
      .setConnectionString(Objects.requireNonNull(cache.getUrl(), "the Redis URL"))
      .setMaxPoolSize(cache.getPoolSize())
      .setMaxPoolWaiting(cache.getMaxWaiting())
      .setPoolName(POOL_NAME);
    options.getNetClientOptions().setConnectTimeout((int) Math.max(timeout.toMillis(), 100)).setTcpNoDelay(true)
      .setMetricsName(POOL_NAME);
    this.client = Redis.createClient(vertx, options);
    this.api = RedisAPI.api(client);
    this.breaker = CircuitBreaker.create("surge-redis", vertx, new CircuitBreakerOptions()
      .setMaxFailures(DEFAULT_BREAKER_MAX_FAILURES)
      .setTimeout(timeout.toMillis())
      .setResetTimeout(DEFAULT_BREAKER_RESET_MS));
    this.namespace = Objects.requireNonNull(cache.getNamespace(), "the cache's namespace");
    this.ttl = cache.getTtl();
    this.registry = registry;
  }

  /** The prefix of this process's keys for the service ({@code cache.namespace}, else its name). */
  public String namespace() {
    return namespace;
  }

  /**
   * The cache of one kind of value, such as products, stored as strings under {@code namespace:name:id}. Every
   * HTTP instance asking for the same name gets the same cache, so reads coalesce across the whole process.
   */
  @SuppressWarnings("unchecked")
  public <T> ReadThroughCache<T> readThrough(Vertx vertx, String name, Function<T, String> encode,
                                             Function<String, T> decode) {
    return (ReadThroughCache<T>) caches.computeIfAbsent(name, n ->
      new ReadThroughCache<>(vertx, this, namespace + ":" + n + ":", n, ttl, encode, decode, registry));
  }

  Future<String> get(String key) {
    return guarded(() -> api.get(key)).map(r -> r == null ? null : r.toString());
  }

  Future<Void> set(String key, String value, Duration ttl) {
    return guarded(() -> api.set(List.of(key, value, "PX", String.valueOf(ttl.toMillis())))).mapEmpty();
  }

  Future<Void> delete(String key) {
    return guarded(() -> api.del(List.of(key))).mapEmpty();
  }

  /**
   * A call to Redis through the process's circuit breaker: failed after {@code cache.timeout}, and at once while the
   * breaker is open ({@link io.vertx.circuitbreaker.OpenCircuitException}), so a hung Redis costs its callers little.
   */
  public <T> Future<T> guarded(Supplier<Future<T>> command) {
    return breaker.execute(promise -> command.get().onComplete(promise));
  }

  /** For readiness: never DOWN (reads fall through to PostgreSQL), but says when the cache is degraded. */
  public Future<Status> status() {
    return guarded(() -> api.ping(List.of()))
      .map(pong -> breaker.state() == CircuitBreakerState.CLOSED
        ? Status.OK(new JsonObject().put("cache", "up"))
        : degraded("circuit " + breaker.state().name().toLowerCase(Locale.ROOT)))
      .otherwise(err -> degraded(err.getMessage()));
  }

  private static Status degraded(String reason) {
    return Status.OK(new JsonObject().put("cache", "degraded").put("reason", String.valueOf(reason)));
  }

  public boolean degraded() {
    return breaker.state() != CircuitBreakerState.CLOSED;
  }

  public RedisAPI api() {
    return api;
  }

  public void close() {
    breaker.close();
    client.close();
  }
}
