package dev.surge.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One access-log line per request, with the route template (never the raw path) and the request id. */
class AccessLogTest {

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void jsonLinesCarryMethodRouteStatusBytesDurationAndRequestId() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("log.access", "json"))) {
      service.get("/echo/raw-path-id-4711", MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "trace-1"));
      service.get("/echo/raw-path-id-4711/nothing");
      service.send(io.vertx.core.http.HttpMethod.DELETE, "/echo/9", MultiMap.caseInsensitiveMultiMap(), null);

      List<JsonObject> logged = lines.list.stream().map(e -> new JsonObject(e.getFormattedMessage())).toList();
      assertThat(logged).hasSize(3);
      JsonObject ok = logged.get(0);
      assertThat(ok.getString("method")).isEqualTo("GET");
      assertThat(ok.getString("route")).isEqualTo("/echo/:id");
      assertThat(ok.getInteger("status")).isEqualTo(200);
      assertThat(ok.getLong("bytes")).isPositive();
      assertThat(ok.getDouble("durationMs")).isNotNull();
      assertThat(ok.getString("requestId")).isEqualTo("trace-1");
      assertThat(logged.get(1).getString("route")).isEqualTo("unmatched");
      assertThat(logged.get(1).getInteger("status")).isEqualTo(404);
      assertThat(logged.get(2).getString("route")).isEqualTo("/echo/:id");
      assertThat(logged.get(2).getInteger("status")).isEqualTo(405);
      assertThat(logged.toString()).doesNotContain("raw-path-id-4711");
    }
  }

  @Test
  void anIdMadeForARequestIsTheOneItsAnswerAndItsLineCarry() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("log.access", "json"))) {
      String first = service.get("/echo/1").getHeader("X-Request-Id");
      String second = service.get("/echo/2").getHeader("X-Request-Id");

      List<String> logged = lines.list.stream()
        .map(e -> new JsonObject(e.getFormattedMessage()).getString("requestId")).toList();
      assertThat(first).matches("[0-9a-f]{32}").isNotEqualTo(second);
      assertThat(logged).containsExactly(first, second);
    }
  }

  @Test
  void healthChecksThatPassAreLeftOut() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("log.access", "json"))) {
      assertThat(service.get("/health/live").statusCode()).isEqualTo(200);
      assertThat(service.get("/health/ready").statusCode()).isEqualTo(200);
      service.get("/echo/1");

      List<String> routes = lines.list.stream().map(e -> new JsonObject(e.getFormattedMessage()).getString("route"))
        .toList();
      assertThat(routes).containsExactly("/echo/:id");
    }
  }

  @Test
  void offLogsNothing() {
    try (TestService service = TestService.start(EchoService.definition(), Map.of("log.access", "off"))) {
      service.get("/echo/1");
      assertThat(lines.list).isEmpty();
    }
  }
}
