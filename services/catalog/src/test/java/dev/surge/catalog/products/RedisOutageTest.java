package dev.surge.catalog.products;

import dev.surge.catalog.CatalogMain;
import dev.surge.embedded.EmbeddedRedisServer;
import dev.surge.net.FreePorts;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis is a cache: without it reads are slower but still right, and it comes back by itself. */
class RedisOutageTest {

  @Test
  void whenRedisStopsReadsStill200AndReadinessSaysDegradedThenItRecovers() throws Exception {
    try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(FreePorts.pick());
         TestService service = TestService.start(CatalogMain.definition(), Map.of("redis.url", redis.url()))) {
      long id = Products.create(service).getLong("id");
      assertThat(service.get("/products/" + id).statusCode()).isEqualTo(200);
      assertThat(cacheState(service)).isEqualTo("up");

      redis.stop();
      for (int i = 0; i < 10; i++) {
        HttpResponse<Buffer> read = service.get("/products/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject().getLong("id")).isEqualTo(id);
      }
      HttpResponse<Buffer> ready = service.get("/health/ready");
      assertThat(ready.statusCode()).as("readiness stays UP without the cache").isEqualTo(200);
      assertThat(cacheState(service)).isEqualTo("degraded");
      assertThat(Products.metric(service, "surge_cache_fallbacks_total", "cache=\"products\"")).isPositive();

      redis.restart();
      String state = "degraded";
      for (int i = 0; i < 100 && !state.equals("up"); i++) {
        Thread.sleep(100);
        service.get("/products/" + id);
        state = cacheState(service);
      }
      assertThat(state).as("the cache recovers by itself").isEqualTo("up");
      double hits = Products.metric(service, "surge_cache_requests_total", "cache=\"products\"", "result=\"hit\"");
      service.get("/products/" + id);
      service.get("/products/" + id);
      assertThat(Products.metric(service, "surge_cache_requests_total", "cache=\"products\"", "result=\"hit\""))
        .isGreaterThan(hits);
    }
  }

  @Test
  void withRedisUnreachableFromTheStartTheServiceServes() {
    int nothingListens = FreePorts.pick();
    try (TestService service = TestService.start(CatalogMain.definition(),
      Map.of("redis.url", "redis://127.0.0.1:" + nothingListens))) {
      long id = Products.create(service).getLong("id");
      assertThat(service.get("/products/" + id).statusCode()).isEqualTo(200);
      assertThat(service.get("/products/" + id).statusCode()).isEqualTo(200);
      assertThat(service.get("/health/ready").statusCode()).isEqualTo(200);
      assertThat(cacheState(service)).isEqualTo("degraded");
    }
  }

  private static String cacheState(TestService service) {
    for (Object check : service.get("/health/ready").bodyAsJsonObject().getJsonArray("checks")) {
      JsonObject c = (JsonObject) check;
      if (c.getString("id").equals("redis")) {
        return c.getJsonObject("data").getString("cache");
      }
    }
    throw new AssertionError("no redis check");
  }
}
