package dev.surge.config;

import dev.surge.testing.EchoService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLayersTest {

  private final List<ConfigKey<?>> keys = EchoService.definition().configKeys();

  @Test
  void environmentNamesArePrefixedUpperSnakeCase() {
    assertThat(ChassisKeys.HTTP_PORT.envName()).isEqualTo("SURGE_HTTP_PORT");
    assertThat(ChassisKeys.HTTP_MAX_BODY_SIZE.envName()).isEqualTo("SURGE_HTTP_MAX_BODY_SIZE");
    assertThat(ChassisKeys.PG_URL.envName()).isEqualTo("SURGE_PG_URL");
  }

  @Test
  void laterLayersOverrideEarlierOnesAndRememberWhereValuesCameFrom() {
    SurgeConfig config = SurgeConfig.resolve(keys, List.of(
      SurgeConfig.Layer.of("file a.yaml", Map.of("http.port", 9000, "http.requestTimeout", "2s")),
      SurgeConfig.Layer.of("environment", Map.of("http.port", "9001"))));
    assertThat(config.get(ChassisKeys.HTTP_PORT)).isEqualTo(9001);
    assertThat(config.origin(ChassisKeys.HTTP_PORT)).isEqualTo("environment");
    assertThat(config.get(ChassisKeys.HTTP_REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.get(ChassisKeys.SERVICE_NAME)).isEqualTo("echo");
    assertThat(config.get(ChassisKeys.HTTP_PORT.withDefault(1))).isEqualTo(9001);
  }

  @Test
  void servicesSharingOneConfigurationKeepTheirOwnDefaultsForWhatNobodySet() {
    ConfigKey<Integer> ownPort = ChassisKeys.HTTP_PORT.withDefault(8084);
    ConfigKey<Duration> ownTimeout = ChassisKeys.HTTP_REQUEST_TIMEOUT.withDefault(Duration.ofSeconds(9));
    SurgeConfig shared = SurgeConfig.resolve(keys, List.of(
      SurgeConfig.Layer.of("environment", Map.of("http.requestTimeout", "2s"))));

    SurgeConfig own = shared.withDefaultsOf(List.of(ownPort, ownTimeout));

    assertThat(own.get(ChassisKeys.HTTP_PORT)).isEqualTo(8084);
    assertThat(own.get(ChassisKeys.HTTP_REQUEST_TIMEOUT)).as("set by someone: kept").isEqualTo(Duration.ofSeconds(2));
    assertThat(shared.get(ChassisKeys.HTTP_PORT)).as("the shared one is left alone").isNotEqualTo(8084);
  }

  @Test
  void clusterMembersAreHostPortAddressesFromTheEnvironmentOrAYamlList() {
    assertThat(SurgeConfig.of(keys, Map.of("cluster.members", "catalog:5701, 10.0.0.6:5701"))
      .get(ChassisKeys.CLUSTER_MEMBERS)).containsExactly("catalog:5701", "10.0.0.6:5701");
    assertThat(SurgeConfig.of(keys, Map.of("cluster.members", List.of("a:1", "b:2")))
      .get(ChassisKeys.CLUSTER_MEMBERS)).containsExactly("a:1", "b:2");
    assertThat(SurgeConfig.of(keys, Map.of()).get(ChassisKeys.CLUSTER_MEMBERS)).isEmpty();
    for (String bad : List.of("catalog", "catalog:99999", "catalog:5701,,orders:5701", "ca talog:1")) {
      assertThatThrownBy(() -> SurgeConfig.of(keys, Map.of("cluster.members", bad)))
        .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("host:port");
    }
  }

  @Test
  void sizesAndDurationsAcceptUnits() {
    SurgeConfig config = SurgeConfig.of(keys, Map.of("http.maxBodySize", "2MiB", "shutdown.grace", "1500ms",
      "worker.executors", "reports=4,images=2"));
    assertThat(config.get(ChassisKeys.HTTP_MAX_BODY_SIZE)).isEqualTo(2L * 1024 * 1024);
    assertThat(config.get(ChassisKeys.SHUTDOWN_GRACE)).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.get(ChassisKeys.WORKER_EXECUTORS)).containsEntry("reports", 4).containsEntry("images", 2);
  }

  @Test
  void aBadValueNamesTheKeyTheValueItsOriginAndWhatIsAllowed() {
    assertThatThrownBy(() -> SurgeConfig.resolve(keys, List.of(SurgeConfig.Layer.of("environment SURGE_HTTP_PORT",
      Map.of("http.port", "99999")))))
      .isInstanceOf(ConfigException.class)
      .hasMessage("http.port = \"99999\" (from environment SURGE_HTTP_PORT) is invalid: expected an integer from 0 to 65535");
    assertThatThrownBy(() -> SurgeConfig.of(keys, Map.of("http.threadingModel", "fork")))
      .hasMessageContaining("one of event-loop, worker, virtual-thread");
    assertThatThrownBy(() -> SurgeConfig.of(keys, Map.of("pg.url", "mysql://x")))
      .hasMessageContaining("postgresql://user[:password]@host[:port]/database");
    assertThatThrownBy(() -> SurgeConfig.of(keys, Map.of("http.instances", 1.5)))
      .hasMessageContaining("http.instances");
  }

  @Test
  void anUnknownKeyIsRejected() {
    assertThatThrownBy(() -> SurgeConfig.of(keys, Map.of("http.prot", 1)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key http.prot");
  }

  @Test
  void secretsAreMaskedWhenPrinted() {
    SurgeConfig config = SurgeConfig.of(keys, Map.of("pg.url", "postgresql://app:hunter2@db:5432/shop",
      "redis.url", "redis://:s3cret@cache:6379"));
    assertThat(config.describe()).contains("postgresql://app:****@db:5432/shop").contains("redis://:****@cache:6379")
      .doesNotContain("hunter2").doesNotContain("s3cret");
    assertThat(config.get(ChassisKeys.PG_URL)).isEqualTo("postgresql://app:hunter2@db:5432/shop");
  }
}
