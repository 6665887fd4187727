package dev.surge.gateway;

import dev.surge.testing.CapturedLog;
import dev.surge.testing.RawHttp;
import dev.surge.testing.TestService;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that hangs up before its body is whole is the client's doing: the request to the replica is reset, and
 * nothing is logged above debug. Vert.x logged each such reset as an ERROR, so any client could write error lines
 * at will, with no key.
 */
class AClientHangingUpMidBodyWritesNoErrorLineTest {

  @Test
  void hangUpsMidBodyLeaveTheLogQuiet() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("r"), Map.of());
         CapturedLog log = CapturedLog.of("io.vertx")) {
      for (int i = 0; i < 3; i++) {
        long before = replicas.requests();
        Socket socket = RawHttp.open(gateway.port(), "GET /api/catalog/p HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: 10\r\n\r\n{}");
        for (int wait = 0; wait < 200 && replicas.requests() == before; wait++) {
          Thread.sleep(10); // until the replica has the request's head: the gateway is forwarding its body
        }
        socket.close();
      }
      Thread.sleep(1_000);
      assertThat(log.lines()).noneSatisfy(line -> assertThat(line).contains("reset"));
      assertThat(RawHttp.request(gateway.port(), "GET", "/api/catalog/p").status()).as("served on").isEqualTo(200);
    }
  }
}
