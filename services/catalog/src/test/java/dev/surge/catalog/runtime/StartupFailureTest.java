package dev.surge.catalog.runtime;

import dev.surge.catalog.CatalogMain;
import dev.surge.net.FreePorts;
import dev.surge.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/** A catalog that cannot reach its database, or is not told where it is, does not pretend to run: it says why and exits 1. */
class StartupFailureTest {

  @Test
  void anUnreachableDatabaseStopsTheProcessWithExitCode1SayingWhyOnTheFailuresFirstLine() throws Exception {
    int nothingListens = FreePorts.pick();
    try (ServiceProcess process = ServiceProcess.start(CatalogMain.class, Map.of(
      "SURGE_PG_URL", "postgresql://surge@127.0.0.1:" + nothingListens + "/surge",
      "SURGE_REDIS_URL", "redis://127.0.0.1:" + nothingListens,
      "SURGE_HTTP_PORT", String.valueOf(FreePorts.pick())))) {
      assertThat(process.waitFor(120)).as(process.output()).isEqualTo(1);
      // The line a cut log keeps (a terminal, a shipper, CI's 400 characters) names the driver's cause too.
      assertThat(process.output().lines().filter(line -> line.contains("catalog failed to start")))
        .singleElement(STRING).contains("(ConnectException: Connection refused)");
    }
  }

  @Test
  void withoutPgUrlTheServiceJarSaysWhatToSetAndExits1() throws Exception {
    try (ServiceProcess process = ServiceProcess.start(CatalogMain.class, Map.of(
      "SURGE_HTTP_PORT", String.valueOf(FreePorts.pick())))) {
      assertThat(process.waitFor(120)).as(process.output()).isEqualTo(1);
      assertThat(process.output()).contains("catalog failed to start: pg.url is not set: set it (SURGE_PG_URL), or "
        + "run the standalone jar, the one that carries an embedded PostgreSQL");
    }
  }
}
