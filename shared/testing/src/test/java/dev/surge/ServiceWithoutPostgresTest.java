package dev.surge;

import dev.surge.pg.JobsComponent;
import dev.surge.redis.RedisComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service that keeps no data (a gateway) starts without pg.url, is ready without PostgreSQL, and has no pool. */
class ServiceWithoutPostgresTest {

  private static ServiceDefinition stateless() {
    return ServiceDefinition.builder("stateless")
      .use(RedisComponent.cache())
      .http(ctx -> router -> router.get("/pool").handler(rc -> {
        try {
          PostgresComponent.pool(ctx);
          rc.response().end("a pool");
        } catch (IllegalStateException e) {
          rc.response().setStatusCode(409).end(e.getMessage());
        }
      }))
      .build();
  }

  @Test
  void itStartsWithoutPgUrlAndIsReadyOnRedisAlone() {
    try (TestService service = TestService.start(stateless(), Map.of())) {
      assertThat(service.running().context().config().get(dev.surge.config.ChassisKeys.PG_URL)).isNull();
      var ready = service.get("/health/ready");
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
      JsonObject body = ready.bodyAsJsonObject();
      assertThat(body.encode()).contains("redis").doesNotContain("postgres");
      var pool = service.get("/pool");
      assertThat(pool.statusCode()).isEqualTo(409);
      assertThat(pool.bodyAsString()).contains("not built with PostgresComponent");
    }
  }

  @Test
  void aJobQueueWithoutPostgresStopsTheStartSayingWhatToName() {
    ServiceDefinition jobsAlone = ServiceDefinition.builder("bad")
      .use(JobsComponent.of((ctx, jobs) -> { }))
      .http(ctx -> router -> { }).build();
    assertThatThrownBy(() -> TestService.start(jobsAlone, Map.of()))
      .hasMessageContaining("name PostgresComponent before JobsComponent");
  }
}
