package dev.surge;

import dev.surge.redis.RedisComponent;
import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service built without the Redis component (orders, jobs, bench) starts without {@code redis.url}, is ready
 * without Redis in its checks, and says so if its code asks for the cache.
 */
class AServiceWithoutRedisNeedsNoRedisTest {

  private static ServiceDefinition uncached() {
    return ServiceDefinition.builder("uncached")
      .http(ctx -> router -> router.get("/cache").handler(rc -> {
        try {
          RedisComponent.cache(ctx);
          rc.response().end("a cache");
        } catch (IllegalStateException e) {
          rc.response().setStatusCode(409).end(e.getMessage());
        }
      }))
      .build();
  }

  @Test
  void itStartsWithNeitherUrlAndIsReadyWithoutRedis() {
    ServiceDefinition definition = uncached();
    SurgeConfig config = SurgeConfig.of(definition.configKeys(), Map.of(ChassisKeys.HTTP_PORT.name(), 0,
      ChassisKeys.HTTP_INSTANCES.name(), 1));
    assertThat(config.get(ChassisKeys.REDIS_URL)).isNull();
    RunningService running = TestService.await(Surge.start(definition, config));
    Vertx client = Vertx.vertx();
    try {
      var ready = TestService.await(WebClient.create(client).get(running.httpPort(), "127.0.0.1", "/health/ready").send());
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
      assertThat(ready.bodyAsString()).doesNotContain("redis").doesNotContain("postgres");
      var cache = TestService.await(WebClient.create(client).get(running.httpPort(), "127.0.0.1", "/cache").send());
      assertThat(cache.statusCode()).isEqualTo(409);
      assertThat(cache.bodyAsString()).contains("not built with RedisComponent");
    } finally {
      TestService.await(running.close());
      TestService.await(client.close());
    }
  }
}
