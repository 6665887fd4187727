package dev.surge.arbiter;

import dev.surge.pg.PostgresComponent;
import dev.surge.redis.RedisComponent;
import dev.surge.ServiceDefinition;
import dev.surge.net.FreePorts;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's event-bus consumers scaled and restarted through the admin API while senders keep asking, each
 * reply taking a few milliseconds: every request is answered. A consumer instance leaving stops taking messages
 * and sends the replies it owes before it goes; a message Vert.x had handed to it but not yet to its handler is
 * failed at once with TIMEOUT ("discarded"), which senders ask again for, as the orders service does.
 */
class ConsumersScaledUnderLoadAnswerEveryRequestTest {

  private static final String ADDRESS = "probe.work";
  private static final int SENDERS = 16;

  @Test
  void scalingAndRestartingConsumersUnderConcurrentRequestsLosesNone() throws Exception {
    ServiceDefinition probe = ServiceDefinition.builder("probe")
      .use(PostgresComponent.create()).use(RedisComponent.cache()).defaultPort(8098)
      .eventBus(ctx -> () -> Map.of(ADDRESS, message -> ctx.vertx().setTimer(3, t -> message.reply(message.body()))))
      .http(ctx -> router -> router.get("/hello").handler(rc -> rc.response().end("hello")))
      .build();
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(probe, Map.of("http.instances", 2, "admin.port", adminPort,
           "shutdown.grace", "10s", "log.access", "off"));
         Admin admin = new Admin(adminPort)) {
      Senders senders = new Senders(service.running().vertx());
      senders.awaitMore(300);
      assertThat(consumers(admin)).hasSize(2);

      admin.scale("consumers", 4);
      senders.awaitMore(300);
      assertThat(consumers(admin)).hasSize(4);
      admin.scale("probe.consumers", 1);
      senders.awaitMore(300);
      assertThat(consumers(admin)).as("instances scaled away are gone once handed off").hasSize(1);
      admin.scale("consumers", 3);
      senders.awaitMore(300);
      admin.restart();
      senders.awaitMore(300);
      admin.scale("consumers", 2);
      senders.awaitMore(300);

      senders.stop();
      assertThat(senders.failures).as("requests not answered with their own body").isEmpty();
      assertThat(senders.answered.get()).isGreaterThan(1000);
      List<JsonObject> left = consumers(admin);
      assertThat(left).hasSize(2).allMatch(i -> i.getInteger("inFlight") == 0);
      assertThat(left.stream().mapToLong(i -> i.getLong("requestsServed")).sum())
        .as("the instances left answered requests").isPositive();
    }
  }

  private static List<JsonObject> consumers(Admin admin) {
    return admin.instances().stream().map(JsonObject.class::cast)
      .filter(i -> "probe.consumers".equals(i.getString("verticle")) && "serving".equals(i.getString("state")))
      .toList();
  }

  /** Closed-loop senders on the service's Vert.x, each sending its next request once the last is answered. */
  private static final class Senders {

    final AtomicLong answered = new AtomicLong();
    final AtomicInteger askedAgain = new AtomicInteger();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger(SENDERS);
    private final Vertx vertx;

    Senders(Vertx vertx) {
      this.vertx = vertx;
      for (int i = 0; i < SENDERS; i++) {
        int sender = i;
        vertx.runOnContext(v -> send(sender, 0));
      }
    }

    private void send(int sender, long n) {
      if (stopping.get()) {
        running.decrementAndGet();
        return;
      }
      String body = sender + ":" + n;
      long sent = System.nanoTime();
      vertx.eventBus().<String>request(ADDRESS, body, new DeliveryOptions().setSendTimeout(5000)).onComplete(ar -> {
        if (ar.succeeded() && body.equals(ar.result().body())) {
          answered.incrementAndGet();
          send(sender, n + 1);
        } else if (ar.failed() && ar.cause() instanceof ReplyException reply && System.nanoTime() - sent < 4_000_000_000L
          && (reply.failureType() == ReplyFailure.TIMEOUT || reply.failureType() == ReplyFailure.NO_HANDLERS)) {
          askedAgain.incrementAndGet(); // discarded as its consumer left, not timed out: ask again
          send(sender, n);
        } else {
          failures.add(body + ": " + (ar.failed() ? ar.cause() : "answered " + ar.result().body()));
          send(sender, n + 1);
        }
      });
    }

    void awaitMore(long count) throws InterruptedException {
      long target = answered.get() + count;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (answered.get() < target && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(answered.get()).as("answers keep coming").isGreaterThanOrEqualTo(target);
    }

    void stop() throws InterruptedException {
      stopping.set(true);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (running.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      System.out.println("Consumers under load: " + answered.get() + " answered, " + askedAgain.get()
        + " asked again after their consumer left");
    }
  }
}
