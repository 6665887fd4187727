package dev.surge.gateway;

import dev.surge.net.FreePorts;
import dev.surge.testing.TcpProxy;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica whose host is gone (a killed container, a machine cut off) sends no reset: the requests on the
 * gateway's open connections to it would wait out {@code gateway.timeout}. The readiness check, which cannot connect
 * to it, closes them; and its failures do not open the service's breaker while another replica serves.
 */
class ADeadReplicaNeitherHoldsRequestsNorOpensTheBreakerTest {

  @Test
  void requestsHeldOnADeadReplicasConnectionsAreAnsweredAndTheOthersServeTheRest() throws Exception {
    try (Replicas replicas = new Replicas()) {
      String live = replicas.start("live");
      String dying = replicas.start("dying");
      int port = Integer.parseInt(dying.substring(dying.indexOf(':') + 1));
      try (TcpProxy path = TcpProxy.start("127.0.0.1", port);
           TestService gateway = Gateways.inFrontOf(live + ",127.0.0.1:" + path.port(), Map.of(
             "gateway.timeout", "5m", "gateway.healthInterval", "300ms", "gateway.ejectAfter", 1000))) {
        for (int i = 0; i < 4; i++) { // both replicas answer, over connections the gateway keeps open
          assertThat(gateway.get("/api/catalog/who").statusCode()).isEqualTo(200);
        }
        assertThat(path.connections()).as("the gateway's connections to the replica behind the path").isPositive();

        path.unplug(); // the host vanishes: nothing connects, its connections carry nothing, and no reset comes
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          sent.add(gateway.request(HttpMethod.GET, "/api/catalog/who").timeout(60_000).send());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<Buffer>> answer : sent) {
          statuses.add(TestService.await(answer).statusCode());
        }
        assertThat(statuses).as("answered well within gateway.timeout, all by the live replica: the GETs held on "
          + "the dead one's connections are sent to it once those are closed").containsOnly(200);

        for (int i = 0; i < 6; i++) {
          var response = gateway.get("/api/catalog/who");
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("X-Replica")).isEqualTo("live");
        }
      }
    }
  }

  @Test
  void oneReplicaFailingDoesNotOpenTheBreakerOnTheOthers() {
    String closed = "127.0.0.1:" + FreePorts.pick();
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(closed + "," + replicas.start("up"),
      Map.of("gateway.breakerFailures", 2, "gateway.ejectAfter", 1000, "gateway.healthInterval", "10m"))) {
      // At once, so that the refusals (at once) end before the slow answers: failures in a row, as under load.
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sent.add(gateway.request(HttpMethod.POST, "/api/catalog/orders?ms=300").putHeader("Content-Type", "text/plain")
          .sendBuffer(Buffer.buffer("x")));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<HttpResponse<Buffer>> answer : sent) {
        statuses.add(TestService.await(answer).statusCode());
      }
      for (int i = 0; i < 4; i++) {
        statuses.add(gateway.send(HttpMethod.POST, "/api/catalog/orders", MultiMap.caseInsensitiveMultiMap()
          .add("Content-Type", "text/plain"), "x").statusCode());
      }
      assertThat(statuses).as("the POSTs that drew the closed replica fail; the others are served, never refused 503")
        .containsOnly(502, 200).contains(502, 200);
    }
  }
}
