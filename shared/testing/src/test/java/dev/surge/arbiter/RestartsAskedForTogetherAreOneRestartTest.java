package dev.surge.arbiter;

import dev.surge.net.FreePorts;
import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /admin/restart} is answered 202 as the restart starts, and asked again while it runs it is the same
 * restart. It answered once done, which took longer than a caller waits (the console's gateway gave up with a 503
 * and Retry-After, and in the all-in-one process the restart replaced the gateway instance waiting for it), and
 * every request queued a restart of its own: a few clicks restarted every instance a few times over.
 */
class RestartsAskedForTogetherAreOneRestartTest {

  @Test
  void threeAsksWhileOneRunsRestartEachInstanceOnce() throws Exception {
    int adminPort = FreePorts.pick();
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.instances", 2,
           "admin.port", adminPort, "shutdown.grace", "10s", "log.access", "off"));
         Admin admin = new Admin(adminPort)) {
      // Requests in flight on the instances: each drains for up to two seconds, so the restart is still under way
      // when it is asked for again.
      List<Future<HttpResponse<Buffer>>> slow = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        slow.add(service.request(HttpMethod.GET, "/slow?ms=2000").send());
      }
      Thread.sleep(200);
      for (int i = 0; i < 3; i++) {
        var asked = admin.post("/admin/restart");
        assertThat(asked.statusCode()).as(asked.bodyAsString()).isEqualTo(202);
        assertThat(asked.getHeader("Location")).isEqualTo("/admin/instances");
        JsonObject body = asked.bodyAsJsonObject();
        assertThat(body.getBoolean("restarting")).isTrue();
        assertThat(body.getJsonArray("instances")).isNotEmpty();
      }
      admin.awaitRestarted();
      assertThat(TestService.await(Future.all(slow)).list()).as("the requests in flight were answered").hasSize(4);
      assertThat(admin.deployments("serving")).hasSize(2);
      assertThat(MetricsScrape.sum(Scrapes.metrics(service.port()), "surge_instance_restarts_total"))
        .as("each of the two instances replaced once").isEqualTo(2.0);
    }
  }
}
