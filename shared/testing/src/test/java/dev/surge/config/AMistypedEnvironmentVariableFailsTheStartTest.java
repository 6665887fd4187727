package dev.surge.config;

import dev.surge.testing.EchoService;
import dev.surge.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code SURGE_*} variable that is no key's stops the start (exit code 2), as an unknown key in the file does,
 * instead of leaving the key it was meant for at its default; the variables that are not configuration by design
 * ({@code SURGE_CONF}, the test suite's {@code SURGE_TEST_*}, Kubernetes' service links for a Service named
 * {@code surge-*}) start as before.
 */
class AMistypedEnvironmentVariableFailsTheStartTest {

  @Test
  void aTypoExitsWithCode2NamingTheVariableAndTheClosestKeys() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_HTTP_PROT", "9000"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("surge: invalid configuration: unknown environment variable SURGE_HTTP_PROT "
        + "(did you mean SURGE_HTTP_PORT?); see --print-config for every key and its variable");
    }
  }

  @Test
  void everyUnknownVariableIsNamedAtOnceAndOneFarFromAnyKeyWithoutAGuess() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_PG_URI",
      "postgresql://app:hunter2@db/shop", "SURGE_NOTHING_LIKE_IT", "1"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output())
        .contains("unknown environment variables SURGE_NOTHING_LIKE_IT, SURGE_PG_URI (did you mean SURGE_PG_URL?);")
        .as("the variable's value is not shown").doesNotContain("hunter2");
    }
  }

  @Test
  void theFileVariableTheTestSuitesAndKubernetesServiceLinksAreNotConfigurationKeys() throws Exception {
    Path conf = ServiceProcess.writeTemp(".yaml", "http:\n  port: 9101\n");
    Map<String, String> env = new HashMap<>(Map.of("SURGE_CONF", conf.toString(),
      "SURGE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test", "SURGE_TEST_ANYTHING", "x"));
    // What Kubernetes gives every pod of a namespace with a Service named surge-catalog (enableServiceLinks).
    env.putAll(Map.of("SURGE_CATALOG_SERVICE_HOST", "10.96.0.7", "SURGE_CATALOG_SERVICE_PORT", "8081",
      "SURGE_CATALOG_SERVICE_PORT_HTTP", "8081", "SURGE_CATALOG_PORT", "tcp://10.96.0.7:8081",
      "SURGE_CATALOG_PORT_8081_TCP", "tcp://10.96.0.7:8081", "SURGE_CATALOG_PORT_8081_TCP_PROTO", "tcp",
      "SURGE_CATALOG_PORT_8081_TCP_PORT", "8081", "SURGE_CATALOG_PORT_8081_TCP_ADDR", "10.96.0.7"));
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, env, "--print-config")) {
      assertThat(p.waitFor(60)).as(p.output()).isEqualTo(0);
      assertThat(p.output()).containsPattern("http\\.port\\s+= 9101\\s+# file ");
    }
  }
}
