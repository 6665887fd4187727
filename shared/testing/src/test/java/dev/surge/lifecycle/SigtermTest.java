package dev.surge.lifecycle;

import dev.surge.testing.EchoProcess;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The real process and real signals: SIGTERM drains and exits 0; a second SIGTERM closes at once. */
class SigtermTest {

  private final EchoProcess echo = new EchoProcess();
  private final int port = echo.port;
  private final WebClient client = echo.client;
  private ServiceProcess process;

  @AfterEach
  void tearDown() {
    echo.close();
  }

  @Test
  void sigtermLetsTheInFlightRequestFinishAndExits0() throws Exception {
    startEcho(Map.of("SURGE_SHUTDOWN_GRACE", "10s"));
    Future<HttpResponse<Buffer>> inFlight = client.get(port, "127.0.0.1", "/slow?ms=1500").send();
    awaitInFlight();
    process.terminate();

    assertThat(await(inFlight).statusCode()).isEqualTo(200);
    assertThat(process.waitFor(30)).as(process.output()).isEqualTo(0);
    assertThat(process.output()).contains("SIGTERM received").contains("Draining").contains("Stopped");
  }

  @Test
  void aSecondSigtermClosesAtOnceWithoutWaitingForTheGrace() throws Exception {
    startEcho(Map.of("SURGE_SHUTDOWN_GRACE", "10m", "SURGE_HTTP_REQUEST_TIMEOUT", "10m"));
    Future<HttpResponse<Buffer>> stuck = client.get(port, "127.0.0.1", "/slow?ms=600000").send();
    awaitInFlight();

    process.terminate();
    for (int i = 0; i < 100 && !process.output().contains("Draining"); i++) {
      Thread.sleep(50);
    }
    process.terminate();

    assertThat(process.waitFor(60)).as(process.output()).isEqualTo(0);
    assertThat(process.output()).contains("Second signal: closing at once");
    assertThat(stuck.toCompletionStage().toCompletableFuture().handle((r, err) -> err != null || r.statusCode() != 200)
      .get()).as("the stuck request was cut off, not answered").isTrue();
  }

  private void awaitInFlight() {
    MetricsScrape.awaitAtLeast(() -> MetricsScrape.sum(await(client.get(port, "127.0.0.1", "/metrics").send())
      .bodyAsString(), "surge_http_inflight"), "requests in flight", 1);
  }

  private void startEcho(Map<String, String> extraEnv) throws Exception {
    process = echo.start(extraEnv);
  }
}
