package dev.surge.gateway;

import dev.surge.testing.MetricsScrape;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis that accepts connections and never answers: the rate limiter's calls fail through the circuit breaker the
 * cache uses, which opens, and then requests go through without asking Redis; once Redis answers, a call the breaker
 * lets through closes it and the limits are checked again.
 */
class RateLimitsSkipAHungRedisTest {

  @Test
  void theBreakerOpensRequestsPassWithoutRedisAndItClosesWhenRedisAnswers() throws Exception {
    try (HangingRedis redis = new HangingRedis(); Replicas replicas = new Replicas();
         TestService gateway = Gateways.inFrontOf(replicas.start("r"), Map.of("gateway.rateLimit", 1000,
           "gateway.rateBurst", 1000, "redis.url", redis.url()))) {
      for (int i = 0; i < 3; i++) {
        assertThat(gateway.get("/api/catalog/who").statusCode()).isEqualTo(200); // each waits out cache.timeout
      }
      assertThat(gauge(gateway)).as("the breaker in front of Redis is open").isEqualTo(1);
      for (int i = 0; i < 10; i++) {
        var passed = gateway.get("/api/catalog/who");
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.getHeader("RateLimit")).as("not checked").isNull();
      }
      assertThat(MetricsScrape.sum(gateway.get("/metrics").bodyAsString(), "surge_gateway_ratelimit_failopen_total",
        "reason=\"breaker-open\"")).as("requests let through without a call to Redis").isGreaterThan(0);

      redis.recover(SurgeTestEnvironment.redisUrl());
      for (int i = 0; i < 500 && gateway.get("/api/catalog/who").getHeader("RateLimit") == null; i++) {
        Thread.sleep(20);
      }
      var checked = gateway.get("/api/catalog/who");
      assertThat(checked.statusCode()).isEqualTo(200);
      assertThat(checked.getHeader("RateLimit")).as("checked in Redis again").startsWith("limit=1000, remaining=");
      assertThat(gauge(gateway)).as("the breaker closed").isEqualTo(0);
    }
  }

  private static double gauge(TestService gateway) {
    return MetricsScrape.sum(gateway.get("/metrics").bodyAsString(), "surge_gateway_ratelimit_breaker_open");
  }
}
