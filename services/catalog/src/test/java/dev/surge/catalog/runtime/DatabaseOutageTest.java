package dev.surge.catalog.runtime;

import dev.surge.RunningService;
import dev.surge.ServiceDefinition;
import dev.surge.Surge;
import dev.surge.catalog.CatalogMain;
import dev.surge.embedded.EmbeddedPostgresServer;
import dev.surge.testing.SurgeTestEnvironment;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static dev.surge.testing.Problems.assertProblem;
import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL going away is the service's trouble, not the client's fault: 503 with Retry-After, readiness DOWN. */
class DatabaseOutageTest {

  @Test
  void withPostgresDownRequestsGet503AndReadinessIsDown() throws Exception {
    ServiceDefinition catalog = CatalogMain.definition();
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(Files.createTempDirectory("surge-outage"));
    Vertx vertx = Vertx.vertx();
    RunningService service = null;
    try {
      service = await(Surge.start(catalog, SurgeTestEnvironment.config(catalog, postgres.url(),
        Map.of("pg.connectionTimeout", "1s", "http.retryAfter", "5s"))));
      WebClient client = WebClient.create(vertx);
      int port = service.httpPort();
      HttpResponse<Buffer> created = await(client.post(port, "127.0.0.1", "/products").sendJsonObject(new JsonObject()
        .put("sku", "DOWN-1").put("name", "n").put("price", 1).put("currency", "EUR").put("stock", 1)));
      assertThat(created.statusCode()).isEqualTo(201);

      postgres.close();

      HttpResponse<Buffer> list = await(client.get(port, "127.0.0.1", "/products").send());
      assertProblem(list, 503, "dependency-unavailable");
      assertThat(list.getHeader("Retry-After")).isEqualTo("5");
      HttpResponse<Buffer> create = await(client.post(port, "127.0.0.1", "/products").sendJsonObject(new JsonObject()
        .put("sku", "DOWN-2").put("name", "n").put("price", 1).put("currency", "EUR").put("stock", 1)));
      assertProblem(create, 503, "dependency-unavailable");
      HttpResponse<Buffer> ready = await(client.get(port, "127.0.0.1", "/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsString()).contains("\"id\":\"postgres\",\"status\":\"DOWN\"");
    } finally {
      if (service != null) {
        await(service.close());
      }
      vertx.close();
    }
  }
}
