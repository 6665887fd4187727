package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The same routes serve alike on event loops, worker threads (gthread) and virtual threads (gevent). */
class ThreadingModelsTest {

  @ParameterizedTest
  @ValueSource(strings = {"event-loop", "worker", "virtual-thread"})
  void theSameRoutesAnswerUnderEachThreadingModel(String model) {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("http.threadingModel", model))) {
      assertThat(service.get("/echo/42").bodyAsJsonObject().getString("id")).isEqualTo("42");
      assertThat(service.get("/slow?ms=10").bodyAsString()).isEqualTo("slept 10");
      assertThat(service.get("/health/ready").statusCode()).isEqualTo(200);
    }
  }
}
