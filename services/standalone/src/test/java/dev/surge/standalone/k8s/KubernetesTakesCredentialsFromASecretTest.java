package dev.surge.standalone.k8s;

import dev.surge.config.ConfigKey;
import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A secret setting (PostgreSQL's and Redis's URLs with their passwords, the gateway's API key digests, any key
 * the services mask) reaches a pod only from the Secret kustomize generates from a file the user writes: never
 * written into a manifest, and the file itself never committed.
 */
class KubernetesTakesCredentialsFromASecretTest {

  @Test
  void everySecretSettingComesFromTheGeneratedSecret() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    for (K8sManifests.Container container : manifests.containers()) {
      String name = container.deploymentName();
      for (ConfigKey<?> key : Deployed.service(container).configKeys()) {
        K8sManifests.Env env = container.env().get(key.envName());
        if (key.secret() && env != null) {
          assertThat(env.source()).as(name + "'s " + env.name()).isEqualTo("secret:surge-credentials");
          assertThat(env.value()).as(name + "'s " + env.name() + " is in the Secret's example file").isNotNull();
        }
      }
    }
    assertThat(manifests.containers()).as("the services that use PostgreSQL and Redis are given them")
      .allMatch(c -> c.env().containsKey("SURGE_REDIS_URL"))
      .filteredOn(c -> Deployed.service(c).uses(dev.surge.DevServer.POSTGRES)).allMatch(c -> c.env().containsKey("SURGE_PG_URL"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theSecretIsGeneratedFromAFileGitIgnoresWithAnExampleBesideIt() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    Map<String, Object> generator = ((List<Map<String, Object>>) manifests.kustomization()
      .get("secretGenerator")).stream().filter(g -> "surge-credentials".equals(g.get("name"))).findFirst().orElseThrow();
    for (String file : (List<String>) generator.get("envs")) {
      assertThat(K8sManifests.DIR.resolve(file + ".example")).as("an example of " + file + " to copy").exists();
      assertThat(Files.readAllLines(Path.of("..", "..", ".gitignore")))
        .as(".gitignore keeps " + file + " out of the repository").contains("ops/k8s/" + file);
    }
    assertThat(manifests.generated("surge-credentials")).containsOnlyKeys("SURGE_PG_URL", "SURGE_REDIS_URL",
      "SURGE_GATEWAY_API_KEYS");
  }
}
