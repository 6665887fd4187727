package dev.surge.jobservice.runtime;

import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import dev.surge.testing.Dockerfile;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jobs service in compose: on the catalog's database, which report.export reads, once the catalog (which
 * creates its tables) is healthy; its data directory on a named volume, which the image creates and gives to the
 * service's user (a new volume takes the owner of the directory it is mounted on); and the gateway, on the compose
 * network, trusted to name the client of an event stream.
 */
class ComposeKeepsTheJobsDataOnAVolumeTest {

  @Test
  void theJobsServiceReadsTheCatalogsDatabaseOnceTheCatalogIsHealthy() throws Exception {
    ComposeFile compose = ComposeFile.read();
    ComposeService jobs = compose.service("jobs");
    assertThat(jobs.environment().get("SURGE_PG_URL"))
      .isEqualTo(compose.service("catalog").environment().get("SURGE_PG_URL"));
    assertThat(jobs.dependsOn()).containsEntry("catalog", "service_healthy").containsEntry("postgres", "service_healthy");
  }

  @Test
  void itsDataDirectoryIsANamedVolumeTheServicesUserOwns() throws Exception {
    ComposeFile compose = ComposeFile.read();
    ComposeService jobs = compose.service("jobs");
    String dataDir = jobs.environment().get("SURGE_JOBS_DATA_DIR");
    assertThat(dataDir).isNotBlank();
    assertThat(jobs.get("volumes")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("jobsdata:" + dataDir);
    assertThat(compose.volumes()).containsKey("jobsdata");

    Dockerfile.Stage runtime = Dockerfile.read().runtime();
    String user = runtime.last("USER");
    assertThat(runtime.all("RUN")).as("the image creates " + dataDir + " for " + user)
      .anyMatch(run -> run.contains("mkdir -p " + dataDir) && owns(run, user, dataDir));
  }

  @Test
  void theComposeNetworkIsATrustedProxyOfTheEventStreams() throws Exception {
    ComposeFile compose = ComposeFile.read();
    Map<String, String> environment = compose.service("jobs").environment();
    assertThat(compose.subnet("default")).isNotNull();
    assertThat(environment.get("SURGE_JOBS_EVENTS_TRUSTED_PROXIES")).isEqualTo(compose.subnet("default"));
  }

  /** A {@code chown} of the command gives {@code dir} to {@code user}: itself, or a folder above it with -R. */
  private static boolean owns(String command, String user, String dir) {
    Matcher chown = Pattern.compile("chown (-R )?" + Pattern.quote(user) + "(:\\S+)? (\\S+)").matcher(command);
    while (chown.find()) {
      String path = chown.group(3);
      if (path.equals(dir) || chown.group(1) != null && dir.startsWith(path + "/")) {
        return true;
      }
    }
    return false;
  }
}
