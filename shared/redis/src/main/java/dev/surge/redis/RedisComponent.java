package dev.surge.redis;

import dev.surge.Component;
import dev.surge.ComponentContext;
import dev.surge.DevServer;
import dev.surge.ServiceContext;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import dev.surge.http.Failures;
import io.vertx.core.Future;
import io.vertx.redis.client.impl.types.ErrorType;

import java.util.List;
import java.util.function.Predicate;

/**
 * The Redis cache of a service ({@code redis.*}, {@code cache.*}): a client with a circuit breaker, a readiness
 * check that reports a cache down as degraded (never DOWN: the service answers from PostgreSQL), and Redis's words
 * for "cannot serve now" taught to the failure handler.
 *
 * <pre>{@code
 * ServiceDefinition.builder("catalog").use(PostgresComponent.migrations("db/catalog")).use(RedisComponent.cache())
 * ...
 * RedisCache cache = RedisComponent.cache(context);
 * }</pre>
 */
public final class RedisComponent implements Component {

  /** Redis error kinds that say it cannot serve now, not that the command was wrong. */
  private static final List<String> REDIS_UNAVAILABLE = List.of("LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN",
    "CLUSTERDOWN");
  private static final Predicate<Throwable> UNAVAILABLE = t -> t instanceof ErrorType redis
    && REDIS_UNAVAILABLE.stream().anyMatch(redis::is);

  private RedisComponent() {
  }

  public static RedisComponent cache() {
    return new RedisComponent();
  }

  /** The cache of a service built with this component. */
  public static RedisCache cache(ServiceContext context) {
    return context.component(Started.class).cache();
  }

  /** The one place the cache's keys are read. */
  public static RedisCacheOptions options(SurgeConfig config) {
    String namespace = config.get(RedisKeys.CACHE_NAMESPACE);
    return new RedisCacheOptions().setUrl(config.get(ChassisKeys.REDIS_URL))
      .setPoolSize(config.get(RedisKeys.POOL_SIZE)).setMaxWaiting(config.get(RedisKeys.MAX_WAITING))
      .setTtl(config.get(RedisKeys.CACHE_TTL)).setTimeout(config.get(RedisKeys.CACHE_TIMEOUT))
      .setNamespace(namespace != null ? namespace : config.get(ChassisKeys.SERVICE_NAME));
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return RedisKeys.all();
  }

  @Override
  public DevServer devServer() {
    return DevServer.REDIS;
  }

  @Override
  public Future<Started> start(ComponentContext context) {
    Failures.unavailableWhen(UNAVAILABLE);
    RedisCache cache = new RedisCache(context.vertx(), options(context.config()), context.registry());
    context.readiness().register("redis", cache::status);
    return Future.succeededFuture(new Started(cache));
  }

  /** The started component: the service's cache. */
  public static final class Started implements Component.Running {

    private final RedisCache cache;

    private Started(RedisCache cache) {
      this.cache = cache;
    }

    public RedisCache cache() {
      return cache;
    }

    @Override
    public Future<Void> close() {
      cache.close();
      return Future.succeededFuture();
    }
  }
}
