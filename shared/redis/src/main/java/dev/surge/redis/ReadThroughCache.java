package dev.surge.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Read-through cache in Redis with a TTL, invalidation on write, and request coalescing: concurrent reads of
 * one key, from any event loop of the process, share one Redis lookup and at most one database read.
 * When Redis fails, reads fall through to the loader (correct, slower) and {@code surge_cache_fallbacks_total}
 * counts it.
 */
public final class ReadThroughCache<T> {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughCache.class);

  /** One lookup in progress; an invalidation while it runs keeps it from storing what it read. */
  private static final class Flight<T> {
    final CompletableFuture<T> result = new CompletableFuture<>();
    volatile boolean invalidated;
  }

  private final Vertx vertx;
  private final RedisCache redis;
  private final String prefix;
  private final Duration ttl;
  private final Function<T, String> encode;
  private final Function<String, T> decode;
  private final ConcurrentHashMap<String, Flight<T>> flights = new ConcurrentHashMap<>();
  private final Counter hits;
  private final Counter misses;
  private final Counter loads;
  private final Counter coalesced;
  private final Counter fallbacks;

  ReadThroughCache(Vertx vertx, RedisCache redis, String prefix, String name, Duration ttl, Function<T, String> encode,
                   Function<String, T> decode, MeterRegistry registry) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
    this.ttl = ttl;
    this.encode = encode;
    this.decode = decode;
    this.hits = Counter.builder("surge.cache.requests").tag("cache", name).tag("result", "hit").register(registry);
    this.misses = Counter.builder("surge.cache.requests").tag("cache", name).tag("result", "miss").register(registry);
    this.loads = Counter.builder("surge.cache.loads").tag("cache", name)
      .description("Reads from the source of truth on a cache miss").register(registry);
    this.coalesced = Counter.builder("surge.cache.coalesced").tag("cache", name)
      .description("Reads that joined a lookup already in progress").register(registry);
    this.fallbacks = Counter.builder("surge.cache.fallbacks").tag("cache", name)
      .description("Cache calls that failed, so the read or write went to the source of truth alone").register(registry);
  }

  /** The value for {@code id}: from Redis, else from {@code loader} (which may give null for absent). */
  public Future<T> get(String id, Supplier<Future<T>> loader) {
    Context caller = vertx.getOrCreateContext();
    Flight<T> mine = new Flight<>();
    Flight<T> existing = flights.putIfAbsent(id, mine);
    if (existing != null) {
      coalesced.increment();
      return Future.fromCompletionStage(existing.result, caller);
    }
    lookup(id, loader, mine).onComplete(ar -> {
      flights.remove(id, mine);
      if (ar.succeeded()) {
        mine.result.complete(ar.result());
      } else {
        mine.result.completeExceptionally(ar.cause());
      }
    });
    return Future.fromCompletionStage(mine.result, caller);
  }

  /** Drops the cached value after a write; a lookup in progress will not store what it read before. */
  public Future<Void> invalidate(String id) {
    Flight<T> flight = flights.remove(id);
    if (flight != null) {
      flight.invalidated = true;
    }
    return redis.delete(prefix + id).recover(err -> {
      fallbacks.increment();
      LOG.warn("Cache invalidation of {}{} failed: {}; the entry expires within its TTL", prefix, id, err.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<T> lookup(String id, Supplier<Future<T>> loader, Flight<T> flight) {
    String key = prefix + id;
    return redis.get(key)
      .map(cached -> {
        if (cached == null) {
          return null;
        }
        T value;
        try {
          value = decode.apply(cached);
        } catch (RuntimeException e) {
          LOG.warn("Cached {} cannot be read ({}); reloading it", key, e.getMessage());
          return null;
        }
        hits.increment();
        return value;
      })
      .compose(value -> value != null ? Future.succeededFuture(value) : load(loader, key, flight, true),
        err -> {
          fallbacks.increment();
          return load(loader, key, flight, false);
        });
  }

  private Future<T> load(Supplier<Future<T>> loader, String key, Flight<T> flight, boolean store) {
    misses.increment();
    loads.increment();
    return loader.get().compose(value -> {
      if (value == null || !store || flight.invalidated) {
        return Future.succeededFuture(value);
      }
      return redis.set(key, encode.apply(value), ttl)
        .recover(err -> {
          fallbacks.increment();
          return Future.succeededFuture();
        })
        .map(value);
    });
  }
}
