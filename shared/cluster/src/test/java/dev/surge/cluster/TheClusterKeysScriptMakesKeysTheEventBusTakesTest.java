package dev.surge.cluster;

import dev.surge.testing.EchoService;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.TestService;
import io.vertx.core.eventbus.MessageConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/cluster-keys.sh, which compose runs at its first `up` and Kubernetes users run once, makes files the event bus
 * takes: two members with them exchange a message. Its key is readable by its owner alone, the CA's key is not left
 * behind, and a second run keeps the keys the members already hold.
 */
class TheClusterKeysScriptMakesKeysTheEventBusTakesTest {

  private static final Path SCRIPT = Path.of("..", "..", "ops", "cluster-keys.sh");

  @Test
  void membersWithTheScriptsKeysTalkAndASecondRunKeepsThem(@TempDir Path dir) throws Exception {
    run(dir);
    assertThat(dir.toFile().list()).containsExactlyInAnyOrder("ca.crt", "member.crt", "member.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("member.key"))))
      .isEqualTo("r--------");
    byte[] key = Files.readAllBytes(dir.resolve("member.key"));

    LoopbackCluster cluster = LoopbackCluster.of(2);
    try (TestService first = TestService.start(EchoService.definition(), member(cluster, 0, dir));
         TestService second = TestService.anotherNode(first, EchoService.definition(), member(cluster, 1, dir))) {
      MessageConsumer<String> consumer = first.running().vertx().eventBus()
        .consumer("keys.first", message -> message.reply("first:" + message.body()));
      await(consumer.completion());
      assertThat(await(second.running().vertx().eventBus().<String>request("keys.first", "hello")).body())
        .isEqualTo("first:hello");
    }

    run(dir);
    assertThat(Files.readAllBytes(dir.resolve("member.key"))).as("the key a second run leaves").isEqualTo(key);
  }

  private static Map<String, Object> member(LoopbackCluster cluster, int index, Path dir) {
    Map<String, Object> config = new HashMap<>(cluster.member(index, Map.of()));
    config.put("cluster.tls.cert", dir.resolve("member.crt").toString());
    config.put("cluster.tls.key", dir.resolve("member.key").toString());
    config.put("cluster.tls.ca", dir.resolve("ca.crt").toString());
    return config;
  }

  private static void run(Path dir) throws Exception {
    Process process = new ProcessBuilder("/bin/sh", SCRIPT.toString(), dir.toString()).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as(output).isZero();
  }
}
