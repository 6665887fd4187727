package dev.surge.contract;

import dev.surge.testing.ContractCheck;
import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /openapi.json} is the service's own document with what the chassis serves and answers merged in: its
 * probes and metrics, the problem schema, a problem as every operation's default answer, and the request id on every
 * operation; and the whole is a valid OpenAPI 3.1 document, so standard tools can generate a client from it.
 */
class EveryServiceServesItsContractWithTheChassisPartsTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(EchoService.definition());

  @Test
  void theDocumentHoldsTheServicesRoutesAndTheChassisOnes() {
    HttpResponse<Buffer> response = service.get("/openapi.json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject document = response.bodyAsJsonObject();
    assertThat(document.getString("openapi")).startsWith("3.1");
    assertThat(document.getJsonObject("paths").fieldNames())
      .contains("/echo/{id}", "/echo", "/health/live", "/health/ready", "/metrics", "/openapi.json");
    JsonObject post = document.getJsonObject("paths").getJsonObject("/echo").getJsonObject("post");
    assertThat(post.getJsonObject("responses").getJsonObject("default").getString("$ref"))
      .isEqualTo("#/components/responses/Problem");
    assertThat(post.getJsonArray("parameters").encode()).contains("#/components/parameters/X-Request-Id");
    assertThat(document.getJsonObject("components").getJsonObject("schemas").fieldNames()).contains("Problem");
  }

  @Test
  void theDocumentIsValidOpenApi31() {
    JsonObject document = service.get("/openapi.json").bodyAsJsonObject();
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(await(ContractCheck.schemaErrors(vertx, document))).isEmpty();
      JsonObject broken = document.copy();
      broken.getJsonObject("paths").getJsonObject("/echo").getJsonObject("post").getJsonArray("parameters")
        .add(new JsonObject().put("name", "x").put("in", "body").put("schema", new JsonObject()));
      assertThat(await(ContractCheck.schemaErrors(vertx, broken))).as("a parameter in the body (OpenAPI 2)")
        .isNotEmpty();
    } finally {
      vertx.close();
    }
  }
}
