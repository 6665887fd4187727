package dev.surge.lifecycle;

import dev.surge.testing.EchoService;
import dev.surge.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees when the configuration is wrong, before anything starts. */
class ProcessExitCodesTest {

  @Test
  void aBadEnvironmentValueExitsWithCode2AndOneLineNamingTheKey() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_HTTP_PORT", "abc"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains(
        "surge: invalid configuration: http.port = \"abc\" (from environment SURGE_HTTP_PORT) is invalid: "
          + "expected an integer from 0 to 65535");
    }
  }

  @Test
  void anUnknownKeyInTheYamlFileExitsWithCode2() throws Exception {
    Path conf = ServiceProcess.writeTemp(".yaml", "http:\n  prot: 8080\n");
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of(), "--conf", conf.toString())) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("unknown key http.prot (from file " + conf + ")");
    }
  }

  @Test
  void aBadValueInTheYamlFileNamesTheFile() throws Exception {
    Path conf = ServiceProcess.writeTemp(".yaml", "http:\n  requestTimeout: soon\n");
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_CONF", conf.toString()))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("http.requestTimeout = \"soon\" (from file " + conf + ") is invalid");
    }
  }

  @Test
  void printConfigShowsEffectiveValuesWithSecretsMaskedAndExits0() throws Exception {
    Path conf = ServiceProcess.writeTemp(".yaml", "http:\n  port: 9100\npg:\n  url: postgresql://app:hunter2@db:5432/shop\n");
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_HTTP_INSTANCES", "3"),
      "--conf", conf.toString(), "--print-config")) {
      assertThat(p.waitFor(60)).isEqualTo(0);
      assertThat(p.output())
        .containsPattern("http\\.port\\s+= 9100\\s+# file ")
        .containsPattern("http\\.instances\\s+= 3\\s+# environment SURGE_HTTP_INSTANCES")
        .contains("postgresql://app:****@db:5432/shop")
        .doesNotContain("hunter2");
    }
  }

  @Test
  void anAdminApiOffLoopbackWithoutATokenExitsWithCode2() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_ADMIN_PORT", "9190",
      "SURGE_ADMIN_HOST", "0.0.0.0"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("surge: invalid configuration: admin.host is 0.0.0.0, not loopback: set admin.token");
    }
  }

  @Test
  void anUnknownArgumentExitsWithCode2() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of(), "--workers", "4")) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output()).contains("unknown argument --workers");
    }
  }
}
