package dev.surge.lifecycle;

import dev.surge.embedded.EmbeddedRedisServer;
import dev.surge.testing.EchoService;
import dev.surge.testing.ServiceProcess;
import dev.surge.testing.SurgeTestEnvironment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The real process: SIGTERM drains an in-flight request and exits 0. */
class SigtermTest {

  @Test
  void sigtermLetsTheInFlightRequestFinishAndExits0() throws Exception {
    String db = SurgeTestEnvironment.newDatabase();
    int port = EmbeddedRedisServer.freePort();
    Vertx vertx = Vertx.vertx();
    try (ServiceProcess process = ServiceProcess.start(EchoService.class, Map.of(
      "SURGE_PG_URL", db, "SURGE_REDIS_URL", SurgeTestEnvironment.redisUrl(), "SURGE_HTTP_PORT", String.valueOf(port),
      "SURGE_HTTP_INSTANCES", "2", "SURGE_SHUTDOWN_GRACE", "10s"))) {
      WebClient client = WebClient.create(vertx);
      awaitReady(client, port, process);

      Future<HttpResponse<Buffer>> inFlight = client.get(port, "127.0.0.1", "/slow?ms=1500").send();
      Thread.sleep(300);
      process.terminate();

      assertThat(await(inFlight).statusCode()).isEqualTo(200);
      assertThat(process.waitFor(30)).as(process.output()).isEqualTo(0);
      assertThat(process.output()).contains("SIGTERM received").contains("Draining").contains("Stopped");
    } finally {
      vertx.close();
      SurgeTestEnvironment.dropDatabase(db);
    }
  }

  private static void awaitReady(WebClient client, int port, ServiceProcess process) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      try {
        if (await(client.get(port, "127.0.0.1", "/health/ready").send()).statusCode() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      if (!process.alive()) {
        throw new AssertionError("service exited early:\n" + process.output());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("service never became ready:\n" + process.output());
  }
}
