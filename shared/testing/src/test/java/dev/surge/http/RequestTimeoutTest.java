package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class RequestTimeoutTest {

  @Test
  void aRequestNotAnsweredInTimeGets503WithRetryAfter() {
    try (TestService service = TestService.start(EchoService.definition(),
      Map.of("http.requestTimeout", "200ms", "http.retryAfter", "3s"))) {
      HttpResponse<Buffer> response = service.get("/slow?ms=3000");
      assertProblem(response, 503, "request-timeout");
      assertThat(response.getHeader("Retry-After")).isEqualTo("3");
      assertThat(service.get("/slow?ms=10").statusCode()).isEqualTo(200);
    }
  }
}
