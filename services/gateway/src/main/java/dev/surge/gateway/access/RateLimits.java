package dev.surge.gateway.access;

import dev.surge.http.Problem;
import dev.surge.redis.RedisCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * A token bucket per client (its API key, or its address) in Redis, so every gateway replica draws from the same
 * one: {@code rate} tokens a second up to {@code burst}, one per request, updated atomically by a Lua script on
 * Redis's own clock. An empty bucket is a 429 problem with {@code Retry-After}; every answer carries the
 * {@code RateLimit} and {@code RateLimit-Policy} headers. Redis is called through the process's circuit breaker (the
 * cache's, {@link RedisCache#guarded}): Redis down, slow or hung, the request goes through (fail open), counted in
 * {@code surge_gateway_ratelimit_failopen_total{reason}}; once the breaker opens, requests go through without waiting
 * for Redis at all ({@code reason="breaker-open"}, {@code surge_gateway_ratelimit_breaker_open} 1) until a call let
 * through finds Redis answering again. Readiness shows Redis degraded meanwhile.
 */
public final class RateLimits implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

  // KEYS[1] the bucket; ARGV rate (tokens/s), burst. Returns {allowed, tokens left (floor), ms until a token}.
  private static final String TOKEN_BUCKET = """
    local rate = tonumber(ARGV[1])
    local burst = tonumber(ARGV[2])
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
    local tokens = tonumber(b[1])
    local at = tonumber(b[2])
    if tokens == nil then tokens = burst; at = now end
    tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
    local allowed = 0
    local wait = 0
    if tokens >= 1 then
      tokens = tokens - 1
      allowed = 1
    else
      wait = math.ceil((1 - tokens) * 1000 / rate)
    end
    redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
    redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
    return {allowed, math.floor(tokens), wait}
    """;

  private final RedisCache redis;
  private final Function<RoutingContext, String> client;
  private final double rate;
  private final int burst;
  private final String prefix;
  private final Counter failOpenBreaker;
  private final Counter failOpenRedis;
  private final Counter limited;

  RateLimits(RedisCache redis, Function<RoutingContext, String> client, double rate, int burst, String prefix,
             MeterRegistry registry) {
    this.redis = redis;
    this.client = client;
    this.rate = rate;
    this.burst = burst;
    this.prefix = prefix;
    this.failOpenBreaker = failOpen("breaker-open", registry);
    this.failOpenRedis = failOpen("redis-failed", registry);
    Gauge.builder("surge_gateway_ratelimit_breaker_open", redis, r -> r.degraded() ? 1 : 0)
      .description("1 while the circuit breaker in front of Redis is open or half-open: requests are not rate limited")
      .register(registry);
    this.limited = Counter.builder("surge_gateway_ratelimit_limited").register(registry);
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.request().pause(); // the body waits, unread, for the verdict
    redis.<Response>guarded(() -> redis.api().eval(List.of(TOKEN_BUCKET, "1", prefix + client.apply(ctx),
        Double.toString(rate), Integer.toString(burst))))
      .onComplete(ar -> {
        if (ctx.response().ended()) {
          return;
        }
        if (ar.failed()) {
          (ar.cause() instanceof OpenCircuitException ? failOpenBreaker : failOpenRedis).increment();
          LOG.debug("Rate limit not checked, Redis failed: {}", ar.cause().getMessage());
          ctx.next();
          return;
        }
        Response verdict = ar.result();
        boolean allowed = verdict.get(0).toInteger() == 1;
        long waitMs = verdict.get(2).toLong();
        ctx.response().putHeader("RateLimit-Policy", burst + ";w=" + (long) Math.ceil(burst / rate))
          .putHeader("RateLimit", "limit=" + burst + ", remaining=" + verdict.get(1).toLong() + ", reset="
            + (long) Math.ceil(waitMs / 1000.0));
        if (allowed) {
          ctx.next();
          return;
        }
        limited.increment();
        ctx.request().resume();
        long retryAfter = Math.max(1, (long) Math.ceil(waitMs / 1000.0));
        ctx.fail(Problem.of(429, "rate-limited", "Too many requests")
          .detail("This client may send " + rate + " requests a second, " + burst + " at once; try again in "
            + retryAfter + " s").header("Retry-After", Long.toString(retryAfter)).asException());
      });
  }

  private static Counter failOpen(String reason, MeterRegistry registry) {
    return Counter.builder("surge_gateway_ratelimit_failopen")
      .description("Requests let through without a rate-limit check: Redis failed, or its circuit breaker is open")
      .tag("reason", reason).register(registry);
  }
}
