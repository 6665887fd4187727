package dev.surge.config;

import dev.surge.ServiceDefinition;
import dev.surge.pg.PostgresComponent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code pg.*}, {@code jobs.*}, {@code redis.*} and {@code cache.*} keys were every service's before PostgreSQL
 * and Redis left the core: a file or an environment shared by every service (one {@code surge.env}) may set them.
 * A service built without the component ignores them, with a warning, instead of refusing to start; a service
 * built with it still refuses a mistyped one.
 */
class ASettingOfAComponentTheServiceIsNotBuiltWithIsIgnoredTest {

  private static final ServiceDefinition STATELESS = ServiceDefinition.builder("stateless")
    .http(ctx -> router -> { }).build();
  private static final ServiceDefinition WITH_POSTGRES = ServiceDefinition.builder("stored")
    .use(PostgresComponent.create()).http(ctx -> router -> { }).build();

  @Test
  void aServiceWithoutPostgresOrRedisStartsWithTheirSettingsInItsFile() {
    SurgeConfig config = SurgeConfig.resolve(STATELESS.configKeys(), List.of(SurgeConfig.Layer.of("file surge.yaml",
      Map.of("pg.poolSize", 4, "cache.ttl", "5m", "jobs.queues", "default=2", "http.instances", 3))));
    assertThat(config.get(ChassisKeys.HTTP_INSTANCES)).isEqualTo(3);
  }

  @Test
  void aServiceWithPostgresStillRefusesAMistypedKeyOfIt() {
    assertThatThrownBy(() -> SurgeConfig.resolve(WITH_POSTGRES.configKeys(), List.of(SurgeConfig.Layer.of(
      "file surge.yaml", Map.of("pg.poolSiz", 4))))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("unknown key pg.poolSiz");
  }

  @Test
  void variablesAreToldApartTheSameWay() {
    assertThat(ChassisKeys.ofAComponentNotBuiltIn("SURGE_PG_POOL_SIZE", STATELESS.configKeys())).isTrue();
    assertThat(ChassisKeys.ofAComponentNotBuiltIn("SURGE_REDIS_POOL_SIZE", WITH_POSTGRES.configKeys())).isTrue();
    assertThat(ChassisKeys.ofAComponentNotBuiltIn("SURGE_PG_POOL_SIZ", WITH_POSTGRES.configKeys())).isFalse();
    assertThat(ChassisKeys.ofAComponentNotBuiltIn("SURGE_HTTP_PORTT", STATELESS.configKeys())).isFalse();
  }
}
