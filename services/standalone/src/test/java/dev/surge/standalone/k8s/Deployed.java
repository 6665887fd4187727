package dev.surge.standalone.k8s;

import dev.surge.ServiceDefinition;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import dev.surge.standalone.StandaloneMain;
import dev.surge.testing.K8sManifests;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The services the manifests of ops/k8s deploy, each container next to the service it runs and its keys. */
final class Deployed {

  /** What a {@code status.podIP} field gives a pod, for reading a container's configuration without one. */
  static final String SAMPLE_POD_IP = "10.1.2.3";

  private Deployed() {
  }

  /** The service a container runs: the one its Deployment is named after. */
  static ServiceDefinition service(K8sManifests.Container container) {
    return StandaloneMain.services().stream().filter(s -> s.name().equals(container.deploymentName())).findFirst()
      .orElseThrow(() -> new AssertionError("Deployment " + container.deploymentName() + " names no Surge service"));
  }

  static Set<String> envNames(ServiceDefinition service) {
    return service.configKeys().stream().map(ConfigKey::envName).collect(Collectors.toSet());
  }

  /**
   * The configuration the service starts with in that container, its keys parsed and range-checked as at start
   * (an invalid value throws); a variable that names no key is left to the test that looks for those.
   */
  static SurgeConfig config(K8sManifests.Container container) {
    ServiceDefinition service = service(container);
    Map<String, Object> values = new LinkedHashMap<>();
    container.env().values().forEach(env -> service.configKeys().stream()
      .filter(key -> key.envName().equals(env.name())).findFirst()
      .ifPresent(key -> values.put(key.name(), env.source().equals("field:status.podIP") ? SAMPLE_POD_IP : env.value())));
    return SurgeConfig.of(service.configKeys(), values);
  }
}
