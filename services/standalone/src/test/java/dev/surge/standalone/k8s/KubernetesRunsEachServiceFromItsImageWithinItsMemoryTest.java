package dev.surge.standalone.k8s;

import dev.surge.testing.K8sManifests;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.surge.testing.K8sManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each pod runs the image built for its service, asks the scheduler for what it uses, and fits in its memory
 * limit: the JVM sizes its heap to the limit ({@code MaxRAMPercentage}) and leaves beside the heap what the
 * services measured outside it (metaspace, code, GC structures, threads, buffers: docs/operations.md), else the
 * kernel kills the pod under load instead of the JVM collecting.
 */
class KubernetesRunsEachServiceFromItsImageWithinItsMemoryTest {

  /** Resident memory outside the heap measured under load (at most 187 MiB, docs/operations.md), rounded up. */
  private static final long OUTSIDE_HEAP = 192L << 20;

  private static final Pattern MAX_RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)");

  @Test
  void eachContainerRunsTheImageOfItsService() throws Exception {
    K8sManifests manifests = K8sManifests.read();
    for (K8sManifests.Container container : manifests.containers()) {
      String service = Deployed.service(container).name();
      assertThat(container.image()).as(container.deploymentName() + "'s image")
        .matches("(.+/)?surge/" + service + ":[\\w][\\w.-]*").doesNotEndWith(":latest");
    }
  }

  @Test
  void everyContainerRequestsAndIsLimitedInCpuAndMemory() throws Exception {
    for (K8sManifests.Container container : K8sManifests.read().containers()) {
      String name = container.deploymentName();
      for (String bound : new String[]{"requests", "limits"}) {
        Map<String, Object> resources = at(container.spec(), "resources", bound);
        assertThat(resources).as(name + "'s " + bound).containsKeys("cpu", "memory");
      }
      assertThat(bytes(at(container.spec(), "resources", "requests", "memory")))
        .as(name + ": requests no more memory than its limit")
        .isLessThanOrEqualTo(bytes(at(container.spec(), "resources", "limits", "memory")));
    }
  }

  @Test
  void theHeapLeavesRoomInTheLimitForWhatTheJvmHoldsOutsideIt() throws Exception {
    for (K8sManifests.Container container : K8sManifests.read().containers()) {
      String name = container.deploymentName();
      K8sManifests.Env options = container.env().get("JAVA_TOOL_OPTIONS");
      assertThat(options).as(name + " sizes its JVM").isNotNull();
      Matcher percentage = MAX_RAM_PERCENTAGE.matcher(options.value());
      assertThat(percentage.find()).as(name + ": the heap a share of the memory limit").isTrue();
      long limit = bytes(at(container.spec(), "resources", "limits", "memory"));
      long heap = (long) (limit * Double.parseDouble(percentage.group(1)) / 100);
      assertThat(limit - heap).as(name + ": memory limit less the largest heap").isGreaterThanOrEqualTo(OUTSIDE_HEAP);
      assertThat(options.value()).as(name + ": the collector measured (the JVM takes Serial under 1792 MiB)")
        .contains("-XX:+UseG1GC").as(name + ": an out-of-memory error restarts the pod").contains(
          "-XX:+ExitOnOutOfMemoryError")
        .as(name + ": the C library's heap trimmed, as measured (these options replace the image's)")
        .contains("-XX:TrimNativeHeapInterval=1000");
    }
  }

  @Test
  void memoryQuantitiesAreReadAsKubernetesWritesThem() {
    assertThat(bytes("512Mi")).isEqualTo(512L << 20);
    assertThat(bytes("1Gi")).isEqualTo(1L << 30);
    assertThat(bytes("500M")).isEqualTo(500_000_000L);
    assertThat(bytes("1048576")).isEqualTo(1L << 20);
  }

  /** A Kubernetes memory quantity in bytes: binary (Ki, Mi, Gi) or decimal (k, M, G) suffixes, or none. */
  private static long bytes(Object quantity) {
    Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(String.valueOf(quantity));
    assertThat(m.matches()).as("a memory quantity: " + quantity).isTrue();
    long n = Long.parseLong(m.group(1));
    return m.group(2) == null ? n : switch (m.group(2)) {
      case "Ki" -> n << 10;
      case "Mi" -> n << 20;
      case "Gi" -> n << 30;
      case "Ti" -> n << 40;
      case "k" -> n * 1_000;
      case "M" -> n * 1_000_000;
      case "G" -> n * 1_000_000_000;
      default -> n * 1_000_000_000_000L;
    };
  }
}
