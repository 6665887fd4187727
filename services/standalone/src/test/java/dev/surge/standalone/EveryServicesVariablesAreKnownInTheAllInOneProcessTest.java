package dev.surge.standalone;

import dev.surge.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The all-in-one process reads one environment for all its services: a {@code SURGE_*} variable is known there if
 * any of them has its key, and only one that none has stops the start.
 */
class EveryServicesVariablesAreKnownInTheAllInOneProcessTest {

  @Test
  void aVariableOfEachServiceIsTakenAndATypoOfOneIsRefused() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(StandaloneMain.class, Map.of("SURGE_GATEWAY_RATE_LIMIT", "100",
      "SURGE_JOBS_DATA_DIR", "/tmp/surge-jobs-data", "SURGE_ORDERS_SWEEP_INTERVAL", "2s"), "--print-config")) {
      assertThat(p.waitFor(60)).as(p.output()).isEqualTo(0);
      assertThat(p.output()).containsPattern("gateway\\.rateLimit\\s+= 100\\s+# environment")
        .containsPattern("orders\\.sweepInterval\\s+= 2s\\s+# environment");
    }
    try (ServiceProcess p = ServiceProcess.start(StandaloneMain.class, Map.of("SURGE_ORDERS_SWEEP_INTERVALL", "2s"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("unknown environment variable SURGE_ORDERS_SWEEP_INTERVALL "
        + "(did you mean SURGE_ORDERS_SWEEP_INTERVAL?)");
    }
  }
}
