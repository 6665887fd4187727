package dev.surge;

import dev.surge.pg.PostgresComponent;
import dev.surge.redis.RedisComponent;
import dev.surge.arbiter.Arbiter;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer instances scaled away or replaced are forgotten by their service, so a process restarted many times
 * keeps only the consumers it serves with, and a drain withdraws those.
 */
class ReplacedConsumersAreNotKeptTest {

  @Test
  void theServiceHoldsOnlyTheConsumersOfItsServingInstances() {
    ServiceDefinition probe = ServiceDefinition.builder("probe")
      .use(PostgresComponent.create()).use(RedisComponent.cache()).defaultPort(8099)
      .eventBus(ctx -> () -> Map.of("probe.a", message -> message.reply("a"), "probe.b", message -> message.reply("b")))
      .http(ctx -> router -> router.get("/hello").handler(rc -> rc.response().end("hello")))
      .build();
    try (TestService service = TestService.start(probe, Map.of("http.instances", 2))) {
      Arbiter arbiter = service.running().arbiter();
      ServiceContextImpl context = (ServiceContextImpl) service.running().context();
      assertThat(context.consumers()).as("two instances, two addresses each").hasSize(4);

      TestService.await(arbiter.scale("probe.consumers", 3));
      assertThat(context.consumers()).hasSize(6);
      TestService.await(arbiter.restart());
      TestService.await(arbiter.restart());
      assertThat(context.consumers()).as("after two rolling restarts").hasSize(6);
      TestService.await(arbiter.scale("probe.consumers", 1));
      assertThat(context.consumers()).hasSize(2).allMatch(io.vertx.core.eventbus.MessageConsumer::isRegistered);
      assertThat(TestService.await(service.running().vertx().eventBus().request("probe.b", "x")).body()).isEqualTo("b");
    }
  }
}
