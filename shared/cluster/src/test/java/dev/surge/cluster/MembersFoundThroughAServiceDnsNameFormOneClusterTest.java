package dev.surge.cluster;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.TestService;
import io.vertx.core.eventbus.MessageConsumer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubernetes discovery without Kubernetes: the DNS lookup is the same one, of a name that resolves to one
 * member's address. Two members share one cluster.port as pods do, each on its own address (127.0.0.1 and
 * 127.0.0.2, both loopback on Linux); the second finds the first at that name and they form one cluster, over
 * which a message reaches a consumer the first alone has.
 */
class MembersFoundThroughAServiceDnsNameFormOneClusterTest {

  @Test
  void theSecondMemberFindsTheFirstAtTheNamesAddressAndTheirEventBusesMeet() {
    int port = FreePorts.pick();
    try (TestService first = TestService.start(EchoService.definition(), member("127.0.0.1", port));
         TestService second = TestService.anotherNode(first, EchoService.definition(), member("127.0.0.2", port))) {
      MessageConsumer<String> onlyOnFirst = first.running().vertx().eventBus()
        .consumer("dns-discovery.first", message -> message.reply("first:" + message.body()));
      await(onlyOnFirst.completion());
      String reply = await(second.running().vertx().eventBus().<String>request("dns-discovery.first", "hello")).body();
      assertThat(reply).isEqualTo("first:hello");
    }
  }

  private static Map<String, Object> member(String address, int port) {
    Map<String, Object> config = new HashMap<>();
    config.put("cluster.enabled", true);
    config.put("cluster.name", "dns-" + port);
    config.put("cluster.discovery", "kubernetes");
    config.put("cluster.kubernetes.serviceDns", "localhost");
    config.put("cluster.host", address);
    config.put("cluster.port", port);
    config.put("cluster.eventBusPort", 0);
    config.putAll(LoopbackCluster.tls());
    return config;
  }
}
