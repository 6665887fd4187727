package dev.surge.lifecycle;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the process prints when a value is wrong, or when asked for its configuration, never holds a secret. */
class SecretsStayOutOfErrorLinesTest {

  @Test
  void aBadAdminTokenIsNamedButNotPrinted() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of("SURGE_ADMIN_TOKEN", "hunter2 with spaces"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output())
        .contains("surge: invalid configuration: admin.token = \"****\" (from environment SURGE_ADMIN_TOKEN) is invalid")
        .doesNotContain("hunter2");
    }
  }

  @Test
  void aPgUrlWhosePasswordHasASlashIsPrintedWithThePasswordMasked() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class,
      Map.of("SURGE_PG_URL", "postgresql://app:hunter2/x@db:5432/shop"))) {
      assertThat(p.waitFor(60)).isEqualTo(2);
      assertThat(p.output())
        .contains("surge: invalid configuration: pg.url = \"postgresql://app:****@db:5432/shop\" (from environment "
          + "SURGE_PG_URL) is invalid")
        .doesNotContain("hunter2");
    }
  }

  @Test
  void printConfigMasksAPasswordGivenAsAQueryParameter() throws Exception {
    Path conf = ServiceProcess.writeTemp(".yaml",
      "pg:\n  url: postgresql://app@db:5432/shop?password=hunter2&sslmode=require\n"
        + "redis:\n  url: redis://:hunter2@cache:6379\n");
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of(), "--conf", conf.toString(),
      "--print-config")) {
      assertThat(p.waitFor(60)).isEqualTo(0);
      assertThat(p.output())
        .contains("postgresql://app@db:5432/shop?password=****&sslmode=require")
        .contains("redis://:****@cache:6379")
        .doesNotContain("hunter2");
    }
  }

  @Test
  void aStartFailureLogsTheUrlItCouldNotUseWithThePasswordMasked() throws Exception {
    try (ServiceProcess p = ServiceProcess.start(EchoService.class, Map.of(
      "SURGE_PG_URL", "postgresql://app:hunter2@127.0.0.1:99999/shop",
      "SURGE_REDIS_URL", "redis://127.0.0.1:" + FreePorts.pick(),
      "SURGE_HTTP_PORT", String.valueOf(FreePorts.pick())))) {
      assertThat(p.waitFor(120)).as(p.output()).isEqualTo(1);
      assertThat(p.output())
        .contains("failed to start: Cannot parse invalid connection URI: postgresql://app:****@127.0.0.1:99999/shop")
        .doesNotContain("hunter2");
    }
  }
}
