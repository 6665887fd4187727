package dev.surge.gateway;

import dev.surge.testing.RawHttp;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request body in a transfer coding other than chunked alone is a 400 problem that reaches no service; a chunked
 * body is forwarded. (Found by the fuzz test: Vert.x's proxy answered such a request with a bare 400.)
 */
class TransferCodingsOtherThanChunkedAreProblemsTest {

  @Test
  void onlyChunkedAloneIsForwarded() throws Exception {
    try (Replicas replicas = new Replicas(); TestService gateway = Gateways.inFrontOf(replicas.start("catalog"),
      Map.of())) {
      for (String coding : new String[] {"gzip, chunked", "CHUNKED"}) {
        long before = replicas.requests();
        RawHttp.Response response = post(gateway.port(), coding);
        assertThat(response.status()).as(coding + ": " + response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("detail")).contains("Transfer-Encoding");
        assertThat(replicas.requests()).as(coding + " reached no service").isEqualTo(before);
      }
      assertThat(post(gateway.port(), "chunked").status()).isEqualTo(200);
    }
  }

  private static RawHttp.Response post(int port, String coding) throws Exception {
    try (Socket socket = RawHttp.open(port, "POST /api/catalog/who HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: application/json\r\nTransfer-Encoding: " + coding + "\r\nConnection: close\r\n\r\n"
      + "2\r\n{}\r\n0\r\n\r\n")) {
      return RawHttp.read(socket);
    }
  }
}
