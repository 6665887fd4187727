package dev.surge;

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
      .withoutPostgres()
      .http(ctx -> router -> router.get("/pool").handler(rc -> {
        try {
          ctx.pg();
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
      assertThat(pool.bodyAsString()).contains("withoutPostgres");
    }
  }

  @Test
  void itCanHaveNeitherMigrationsNorJobs() {
    assertThatThrownBy(() -> ServiceDefinition.builder("bad").withoutPostgres().migrations("db/bad")
      .http(ctx -> router -> { }).build()).hasMessageContaining("no migrations or jobs");
    assertThatThrownBy(() -> ServiceDefinition.builder("bad").withoutPostgres().jobs((ctx, jobs) -> { })
      .http(ctx -> router -> { }).build()).hasMessageContaining("no migrations or jobs");
  }
}
