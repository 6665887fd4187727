package dev.surge.cluster;

import dev.surge.testing.EchoService;
import dev.surge.testing.LoopbackCluster;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hazelcast's membership has no authentication in its open-source edition, so a process that reaches a member's
 * cluster port and knows the cluster's name joins; the event bus's mutual TLS is what keeps it from the messages.
 * A process that joined with a certificate of another CA, or with none, can neither send a message to a member
 * (its connection is refused in the handshake, so nothing reaches a consumer) nor be sent one (the member refuses
 * its certificate). A member with the cluster's certificate, beside them, still is.
 */
class OnlyMembersWithTheClustersCertificateUseTheEventBusTest {

  /** For requests that must fail: a handshake on loopback takes milliseconds, a request delivered well under this. */
  private static final DeliveryOptions SHORT = new DeliveryOptions().setSendTimeout(1_500);

  @Test
  void processesWithACertificateOfAnotherCaOrInTheClearNeitherSendNorAreSentAMessage() {
    SelfSignedCertificate other = SelfSignedCertificate.create("not-the-cluster");
    LoopbackCluster cluster = LoopbackCluster.of(4);
    try (TestService member = TestService.start(EchoService.definition(), cluster.member(0, Map.of()));
         TestService otherCa = TestService.anotherNode(member, EchoService.definition(), outsider(cluster, 1,
           Map.of("cluster.tls.cert", other.certificatePath(), "cluster.tls.key", other.privateKeyPath(),
             "cluster.tls.ca", other.certificatePath())));
         TestService inTheClear = TestService.anotherNode(member, EchoService.definition(), outsider(cluster, 2,
           Map.of("cluster.tls.enabled", false)))) {
      AtomicInteger reachedTheMember = new AtomicInteger();
      consume(member.running().vertx().eventBus(), "guarded", reachedTheMember);
      awaitMembers(member, 3); // Hazelcast let both in: only the event bus can keep them off
      for (TestService outsider : List.of(otherCa, inTheClear)) {
        String name = outsider == otherCa ? "the outsider with another CA's certificate" : "the outsider in the clear";
        AtomicInteger reachedTheOutsider = new AtomicInteger();
        String address = "outside." + reachedTheOutsider.hashCode();
        consume(outsider.running().vertx().eventBus(), address, reachedTheOutsider);
        // Unanswered, not refused for want of a consumer: the consumer was seen, the connection to it never made.
        assertThatThrownBy(() -> await(outsider.running().vertx().eventBus().request("guarded", "from outside", SHORT)))
          .as(name + ": its request to the member's consumer fails").isInstanceOfSatisfying(ReplyException.class,
            e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.TIMEOUT));
        assertThatThrownBy(() -> await(member.running().vertx().eventBus().request(address, "to outside", SHORT)))
          .as(name + ": the member's request to its consumer fails").isInstanceOfSatisfying(ReplyException.class,
            e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.TIMEOUT));
        assertThat(reachedTheOutsider).as(name + ": messages its consumer took from the member").hasValue(0);
      }
      assertThat(reachedTheMember).as("messages the member's consumer took from the outsiders").hasValue(0);

      try (TestService another = TestService.anotherNode(member, EchoService.definition(), cluster.member(3, Map.of()))) {
        Object reply = await(another.running().vertx().eventBus().request("guarded", "from a member")).body();
        assertThat(reply).as("a member with the cluster's certificate is answered").isEqualTo("took: from a member");
        assertThat(reachedTheMember).hasValue(1);
      }
    } finally {
      other.delete();
    }
  }

  /** Member {@code index} of the cluster, with {@code tls} in place of the cluster's certificate. */
  private static Map<String, Object> outsider(LoopbackCluster cluster, int index, Map<String, Object> tls) {
    Map<String, Object> config = cluster.member(index, Map.of());
    LoopbackCluster.tls().keySet().forEach(config::remove);
    config.putAll(tls);
    return config;
  }

  private static void consume(EventBus bus, String address, AtomicInteger count) {
    MessageConsumer<String> consumer = bus.consumer(address, message -> {
      count.incrementAndGet();
      message.reply("took: " + message.body());
    });
    await(consumer.completion());
  }

  private static void awaitMembers(TestService service, int members) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      String metrics = service.get("/metrics").bodyAsString();
      if (Pattern.compile("(?m)^surge_cluster_members(\\{[^}]*})? " + members + "\\.0$").matcher(metrics).find()) {
        return;
      }
      await(Future.future(p -> service.running().vertx().setTimer(100, t -> p.complete())));
    }
    throw new AssertionError("the cluster did not reach " + members + " members");
  }
}
