package dev.surge.gateway.access;

import dev.surge.redis.RedisCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Failed API keys per client address, in Redis so every gateway replica counts the same ones: after
 * {@code failures} unknown keys within {@code window} (counted from the first), every request of that client that
 * carries a key is refused until the window ends, the right key too, so guessing learns nothing more. A failure is
 * counted (atomically, by a Lua script) before the client is told the key was wrong, so guesses sent at once count
 * as many as guesses sent one by one. Redis unavailable: not checked (fail open, as the rate limit), counted in
 * {@code surge_gateway_keyattempts_failopen_total}.
 */
final class KeyAttempts {

  private static final Logger LOG = LoggerFactory.getLogger(KeyAttempts.class);

  // KEYS[1] the client's failures; ARGV failed (0|1), most failures, window ms. Returns ms until the client may try
  // again, 0 when this attempt's outcome may be told.
  private static final String COUNT = """
    local limit = tonumber(ARGV[2])
    local n = tonumber(redis.call('GET', KEYS[1]) or '0')
    if n >= limit then
      local left = redis.call('PTTL', KEYS[1])
      if left < 1 then left = tonumber(ARGV[3]) end
      return left
    end
    if ARGV[1] == '1' and redis.call('INCR', KEYS[1]) == 1 then
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
    end
    return 0
    """;

  private final RedisCache redis;
  private final int failures;
  private final Duration window;
  private final String prefix;
  private final Counter failOpen;

  KeyAttempts(RedisCache redis, int failures, Duration window, String prefix, MeterRegistry registry) {
    this.redis = redis;
    this.failures = failures;
    this.window = window;
    this.prefix = prefix;
    this.failOpen = Counter.builder("surge_gateway_keyattempts_failopen")
      .description("Requests with an API key let through unchecked for key guessing because Redis was unavailable")
      .register(registry);
  }

  /** An attempt of {@code client} with a key, {@code failed} when the key is unknown: ms to wait, else 0. */
  Future<Long> attempt(String client, boolean failed) {
    return redis.<io.vertx.redis.client.Response>guarded(() -> redis.api().eval(List.of(COUNT, "1", prefix + client,
        failed ? "1" : "0", Integer.toString(failures), Long.toString(window.toMillis()))))
      .map(wait -> wait.toLong())
      .otherwise(err -> {
        failOpen.increment();
        LOG.debug("Key attempts not counted, Redis failed: {}", err.getMessage());
        return 0L;
      });
  }

  int failures() {
    return failures;
  }
}
