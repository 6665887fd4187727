package dev.surge.standalone.k8s;

import dev.surge.jobservice.JobsMain;
import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.surge.testing.K8sManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pod runs as the images' user (uid 10001), never root, with no privilege to gain and no capability, on a
 * read-only root file system: it writes only where a volume is mounted, /tmp (Netty's native library, Vert.x's
 * file cache, the JVM's hsperfdata) and, for the jobs service, its data directory.
 */
class KubernetesPodsRunAsNonRootOnAReadOnlyFileSystemTest {

  private static final int SURGE_UID = 10001;

  @Test
  void everyContainerRunsAsTheSurgeUserWithoutPrivileges() throws Exception {
    for (K8sManifests.Container container : K8sManifests.read().containers()) {
      String name = container.deploymentName();
      Map<String, Object> pod = at(container.podSpec(), "securityContext");
      assertThat(pod).as(name + "'s pod security context").containsEntry("runAsNonRoot", true)
        .containsEntry("runAsUser", SURGE_UID).containsEntry("runAsGroup", SURGE_UID);
      assertThat(K8sManifests.<String>at(pod, "seccompProfile", "type")).as(name).isEqualTo("RuntimeDefault");
      Map<String, Object> own = at(container.spec(), "securityContext");
      assertThat(own).as(name + "'s container security context").containsEntry("allowPrivilegeEscalation", false)
        .containsEntry("readOnlyRootFilesystem", true);
      assertThat(K8sManifests.<List<String>>at(own, "capabilities", "drop")).as(name).containsExactly("ALL");
      assertThat(mountedAt(container, "/tmp")).as(name + " has a writable /tmp").isTrue();
    }
  }

  @Test
  void theJobsServiceWritesItsDataOnAVolume() throws Exception {
    K8sManifests.Container jobs = K8sManifests.read().container("jobs");
    String dataDir = Deployed.config(jobs).get(JobsMain.DATA_DIR);
    assertThat(dataDir).as("an absolute jobs.dataDir: the working directory is read-only").startsWith("/");
    assertThat(mountedAt(jobs, dataDir)).as("a volume at jobs.dataDir " + dataDir).isTrue();
  }

  /** A volume of the pod is mounted writable at that path. */
  @SuppressWarnings("unchecked")
  private static boolean mountedAt(K8sManifests.Container container, String path) {
    List<Map<String, Object>> volumes = (List<Map<String, Object>>) container.podSpec().getOrDefault("volumes", List.of());
    return ((List<Map<String, Object>>) container.spec().getOrDefault("volumeMounts", List.of())).stream()
      .anyMatch(mount -> path.equals(mount.get("mountPath")) && !Boolean.TRUE.equals(mount.get("readOnly"))
        && volumes.stream().anyMatch(v -> v.get("name").equals(mount.get("name"))));
  }
}
