package dev.surge.arbiter;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.LoadLoop;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Instances added and removed through the admin API while clients keep sending: every request is answered 200. */
class ScalingUnderLoadDropsNoRequestTest {

  @Test
  void scalingUpAndDownUnderConcurrentRequestsFailsNone() throws Exception {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 2,
           "admin.port", adminPort, "shutdown.grace", "10s", "log.access", "off"));
         Admin admin = new Admin(adminPort);
         LoadLoop load = LoadLoop.start(service.port(), "/echo/1", 32)) {
      load.awaitMore(500);
      assertThat(admin.deployments("serving")).hasSize(2);

      assertThat(admin.scale("http", 4)).hasSize(4);
      load.awaitMore(500);
      assertThat(admin.deployments("serving")).hasSize(4);

      List<String> before = admin.deployments("serving");
      admin.scale("echo.http", 1);
      load.awaitMore(500);
      List<String> after = admin.deployments("serving");
      assertThat(after).hasSize(1);
      assertThat(before).as("the oldest leave first").endsWith(after.getFirst());
      assertThat(admin.instances()).as("instances scaled away are gone once drained").hasSize(1);

      admin.scale("http", 3);
      load.awaitMore(500);
      admin.scale("http", 2);
      load.awaitMore(500);

      load.close();
      assertThat(load.failures()).as("requests not answered 200").isEmpty();
      assertThat(load.succeeded()).isGreaterThan(2500);
      Set<String> threads = new HashSet<>();
      long served = 0;
      for (Object o : admin.instances()) {
        JsonObject instance = (JsonObject) o;
        assertThat(instance.getString("threadingModel")).isEqualTo("event-loop");
        assertThat(instance.getString("eventLoop")).startsWith("vert.x-eventloop-thread-");
        assertThat(instance.getString("startedAt")).isNotNull();
        assertThat(instance.getInteger("inFlight")).isZero();
        threads.add(instance.getString("eventLoop"));
        served += instance.getLong("requestsServed");
      }
      assertThat(served).as("the two instances left served requests").isPositive();
      assertThat(threads).as("each instance on its own event loop").hasSize(2);
    }
  }
}
