package dev.surge.lifecycle;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * From the moment a service starts draining (through {@code shutdown.delay}, before its listener closes), every
 * answer says {@code Connection: close}: a client that keeps connections alive moves off them one answer at a
 * time, instead of having them cut under a request on its way when the listener closes.
 */
class DrainingClosesKeptAliveConnectionsAfterTheirNextAnswerTest {

  @Test
  void answersDuringTheShutdownDelayCloseTheirConnection() {
    TestService service = TestService.start(EchoService.definition(), Map.of("shutdown.delay", "5s",
      "shutdown.grace", "5s"));
    Vertx other = Vertx.vertx();
    try {
      HttpClient client = other.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
      HttpClientResponse before = await(get(client, service.port()));
      assertThat(before.getHeader("Connection")).as("kept alive while serving").isNull();

      Future<Void> shutdown = service.running().shutdown();
      HttpClientResponse draining = await(get(client, service.port()));

      assertThat(draining.statusCode()).isEqualTo(200);
      assertThat(draining.getHeader("Connection")).as("during shutdown.delay").isEqualTo("close");
      assertThat(shutdown.isComplete()).as("still within the delay").isFalse();
    } finally {
      other.close();
      service.close();
    }
  }

  private static Future<HttpClientResponse> get(HttpClient client, int port) {
    return client.request(HttpMethod.GET, port, "127.0.0.1", "/echo/1")
      .compose(request -> request.send())
      .compose(response -> response.body().map(body -> response));
  }
}
