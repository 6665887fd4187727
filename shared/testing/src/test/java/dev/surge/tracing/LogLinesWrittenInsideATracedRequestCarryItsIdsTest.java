package dev.surge.tracing;

import dev.surge.testing.EchoProcess;
import dev.surge.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a real process, as its logs are written: a line logged while a request is served (its failure's, its access
 * line) carries the request's trace and span ids, in the JSON format and in the text one, so that a log line leads
 * to its trace; a line logged outside any request carries none. What the OpenTelemetry SDK logs itself (through
 * java.util.logging) is written in the same format.
 */
class LogLinesWrittenInsideATracedRequestCarryItsIdsTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACEPARENT = "00-" + TRACE + "-b7ad6b7169203331-01";
  private static final Map<String, String> TRACED = Map.of("SURGE_TRACING_ENABLED", "true",
    "SURGE_TRACING_SAMPLING_RATIO", "1", "SURGE_TRACING_ENDPOINT", "http://127.0.0.1:9/v1/traces",
    "SURGE_TRACING_EXPORT_TIMEOUT", "500ms");

  private final EchoProcess echo = new EchoProcess();

  @AfterEach
  void stop() {
    echo.close();
  }

  private ServiceProcess startAndFail(String format) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(TRACED);
    env.putAll(Map.of("SURGE_LOG_FORMAT", format, "SURGE_LOG_ACCESS", format));
    ServiceProcess process = echo.start(env);
    var answer = await(echo.client.get(echo.port, "127.0.0.1", "/boom").putHeader("traceparent", TRACEPARENT).send());
    assertThat(answer.statusCode()).isEqualTo(500);
    for (int i = 0; i < 100 && !process.output().contains("/boom"); i++) {
      Thread.sleep(50);
    }
    return process;
  }

  private static List<String> lines(ServiceProcess process, String containing) {
    return Arrays.stream(process.output().split("\n")).filter(l -> l.contains(containing)).toList();
  }

  @Test
  void inJsonTheFailureAndTheAccessLinesCarryTheTraceAndTheStartLinesNone() throws Exception {
    ServiceProcess process = startAndFail("json");
    List<JsonObject> json = Arrays.stream(process.output().split("\n")).filter(l -> l.startsWith("{"))
      .map(JsonObject::new).toList();
    JsonObject failure = json.stream().filter(l -> String.valueOf(l.getString("formattedMessage")).contains("/boom"))
      .filter(l -> !"access".equals(l.getString("type"))).findFirst().orElseThrow(() -> new AssertionError(process.output()));
    assertThat(failure.getJsonObject("mdc").getString("traceId")).isEqualTo(TRACE);
    assertThat(failure.getJsonObject("mdc").getString("spanId")).hasSize(16);
    JsonObject access = json.stream().filter(l -> "access".equals(l.getString("type"))
      && "/boom".equals(l.getString("route"))).findFirst().orElseThrow(() -> new AssertionError(process.output()));
    assertThat(access.getString("traceId")).isEqualTo(TRACE);
    assertThat(access.getString("spanId")).isEqualTo(failure.getJsonObject("mdc").getString("spanId"));
    JsonObject started = json.stream().filter(l -> String.valueOf(l.getString("formattedMessage")).contains("serving on port"))
      .findFirst().orElseThrow(() -> new AssertionError(process.output()));
    assertThat(started.getJsonObject("mdc", new JsonObject()).getString("traceId")).isNull();
    // Its collector refuses connections: said by the chassis in a JSON line too, and not by the SDK (a stack trace
    // through java.util.logging for each export).
    for (int i = 0; i < 600 && lines(process, "\"loggerName\":\"dev.surge.tracing.Tracing").isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertThat(lines(process, "\"loggerName\":\"dev.surge.tracing.Tracing")).as(process.output()).hasSize(1)
      .allMatch(l -> l.startsWith("{") && l.contains("exports to the collector fail"));
    assertThat(lines(process, "\"loggerName\":\"io.opentelemetry")).as(process.output()).isEmpty();
  }

  @Test
  void inTextTheFailureAndTheAccessLinesCarryTheTrace() throws Exception {
    ServiceProcess process = startAndFail("text");
    assertThat(lines(process, "/boom")).as(process.output()).hasSizeGreaterThanOrEqualTo(2)
      .allMatch(l -> l.contains("traceId=" + TRACE));
    assertThat(lines(process, "serving on port")).as(process.output()).isNotEmpty().noneMatch(l -> l.contains("traceId="));
  }
}
