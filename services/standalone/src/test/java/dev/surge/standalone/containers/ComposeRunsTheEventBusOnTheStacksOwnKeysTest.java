package dev.surge.standalone.containers;

import dev.surge.config.ChassisKeys;
import dev.surge.testing.ComposeFile;
import dev.surge.testing.ComposeService;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compose runs the clustered event bus on mutual TLS with keys made for the stack itself: its cluster-keys service
 * runs ops/cluster-keys.sh into a volume at the first `up`, and every clustered service waits for it to have
 * succeeded, mounts that volume read-only, and points its cluster.tls.* keys at the files the script writes.
 */
class ComposeRunsTheEventBusOnTheStacksOwnKeysTest {

  @Test
  void everyClusteredServiceTakesItsKeysFromTheVolumeClusterKeysWrites() throws Exception {
    ComposeFile compose = ComposeFile.read();
    ComposeService keys = compose.service("cluster-keys");
    assertThat(keys.get("entrypoint")).as("cluster-keys runs the repository's script into /keys")
      .isEqualTo(List.of("/bin/sh", "/cluster-keys.sh", "/keys", "10001:10001"));
    assertThat(volumes(keys)).contains("./ops/cluster-keys.sh:/cluster-keys.sh:ro");
    String volume = volumes(keys).stream().filter(v -> v.endsWith(":/keys")).map(v -> v.substring(0, v.indexOf(':')))
      .findFirst().orElseThrow(() -> new AssertionError("cluster-keys writes no volume at /keys"));
    assertThat(compose.volumes()).as("a named volume, kept across `up`s").containsKey(volume);
    assertThat(keys.get("restart")).as("it runs once").isEqualTo("no");

    int clustered = 0;
    for (ComposeService service : compose.surgeServices()) {
      Map<String, String> environment = service.environment();
      if (!Boolean.parseBoolean(environment.get(ChassisKeys.CLUSTER_ENABLED.envName()))) {
        continue;
      }
      clustered++;
      String name = service.name();
      assertThat(environment.getOrDefault(ChassisKeys.CLUSTER_TLS_ENABLED.envName(), "true")).as(name).isEqualTo("true");
      assertThat(service.dependsOn()).as(name + " waits for its keys")
        .containsEntry("cluster-keys", "service_completed_successfully");
      String mount = volumes(service).stream().filter(v -> v.startsWith(volume + ":")).findFirst()
        .orElseThrow(() -> new AssertionError(name + " mounts no " + volume));
      assertThat(mount).as(name + ": read-only").endsWith(":ro");
      Path dir = Path.of(mount.split(":")[1]);
      assertThat(environment).as(name)
        .containsEntry(ChassisKeys.CLUSTER_TLS_CERT.envName(), dir.resolve("member.crt").toString())
        .containsEntry(ChassisKeys.CLUSTER_TLS_KEY.envName(), dir.resolve("member.key").toString())
        .containsEntry(ChassisKeys.CLUSTER_TLS_CA.envName(), dir.resolve("ca.crt").toString());
    }
    assertThat(clustered).as("clustered services").isEqualTo(6);
  }

  @SuppressWarnings("unchecked")
  private static List<String> volumes(ComposeService service) {
    return ((List<Object>) service.get("volumes")).stream().map(String::valueOf).toList();
  }
}
