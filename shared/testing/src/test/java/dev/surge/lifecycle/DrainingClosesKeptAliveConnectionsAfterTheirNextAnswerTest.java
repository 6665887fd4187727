package dev.surge.lifecycle;

import dev.surge.testing.EchoService;
import dev.surge.testing.RawHttp;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From the moment a service starts draining (through {@code shutdown.delay}, before its listener closes), every
 * answer says {@code Connection: close}: a client that keeps connections alive moves off them one answer at a
 * time, instead of having them cut under a request on its way when the listener closes.
 *
 * <p>Both requests go on one socket, so the second is sure to be on the connection kept alive by the first (an
 * HTTP client's pool decides that for itself; one such client once left the second request unsent for a minute in
 * CI, which said nothing about the service).
 */
class DrainingClosesKeptAliveConnectionsAfterTheirNextAnswerTest {

  private static final String GET = "GET /echo/1 HTTP/1.1\r\nHost: localhost\r\n\r\n";

  @Test
  void answersDuringTheShutdownDelayCloseTheirConnection() throws IOException {
    TestService service = TestService.start(EchoService.definition(), Map.of("shutdown.delay", "5s",
      "shutdown.grace", "5s"));
    try (Socket socket = RawHttp.open(service.port(), GET)) {
      socket.setSoTimeout(15_000);
      RawHttp.Response before = RawHttp.read(socket);
      assertThat(before.status()).isEqualTo(200);
      assertThat(before.header("Connection")).as("kept alive while serving").isNull();

      Future<Void> shutdown = service.running().shutdown();
      socket.getOutputStream().write(GET.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      RawHttp.Response draining = RawHttp.read(socket);

      assertThat(draining.status()).isEqualTo(200);
      assertThat(draining.header("Connection")).as("during shutdown.delay").isEqualTo("close");
      assertThat(shutdown.isComplete()).as("still within the delay").isFalse();
    } finally {
      service.close();
    }
  }
}
