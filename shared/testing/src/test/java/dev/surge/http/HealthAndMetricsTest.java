package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthAndMetricsTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(EchoService.definition(), Map.of("worker.executors", "reports=2"));


  @Test
  void livenessIsUp() {
    assertThat(service.get("/health/live").bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  void readinessChecksPostgresAndRedis() {
    var response = service.get("/health/ready");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonArray("checks").encode())
      .contains("\"id\":\"postgres\",\"status\":\"UP\"")
      .contains("\"id\":\"redis\",\"status\":\"UP\",\"data\":{\"cache\":\"up\"}");
  }

  @Test
  void httpMetricsAreLabelledByRouteTemplateNeverByRawPath() {
    service.get("/echo/probe-aaa-4711");
    service.get("/echo/probe-bbb-4712");
    String metrics = service.get("/metrics").bodyAsString();
    assertThat(metrics).containsPattern("vertx_http_server_requests_total\\{[^}]*route=\"/echo/:id\"");
    assertThat(metrics).doesNotContain("probe-aaa-4711").doesNotContain("probe-bbb-4712");
  }

  @Test
  void poolsJvmAndProcessAreMeasured() {
    service.get("/health/ready");
    TestService.await(service.running().context().executor("reports").executeBlocking(() -> 1));
    var reply = TestService.await(service.running().vertx().eventBus().request("echo.ping", "x"));
    assertThat(reply.body()).as("the consumer the service registered on start").isEqualTo("pong:x");
    String metrics = service.get("/metrics").bodyAsString();
    assertThat(metrics)
      .contains("pool_name=\"surge-pg\"")
      .contains("pool_name=\"reports\"")
      .contains("pool_name=\"vert.x-worker-thread\"")
      .contains("jvm_memory_used_bytes")
      .contains("process_cpu_usage")
      .contains("vertx_eventbus_handlers")
      .contains("vertx_eventbus_processed_total");
  }
}
