package dev.surge.standalone;

import dev.surge.net.FreePorts;
import dev.surge.testing.ServiceProcess;
import dev.surge.testing.ServiceProcesses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a newcomer with only a JDK gets: the standalone jar's main with no pg.url and no redis.url runs on an
 * embedded PostgreSQL and Redis, and the data survives a restart. (A service's own jar has none: it asks for the
 * URLs, StartupFailureTest in the catalog.)
 */
class TheStandaloneJarRunsOnEmbeddedServersTest {

  @Test
  void withNoDatabaseConfiguredItRunsOnEmbeddedServersAndKeepsItsDataAcrossARestart() throws Exception {
    Path dataDir = Files.createTempDirectory("surge-embedded");
    int port = FreePorts.pick();
    Map<String, String> env = Map.of("SURGE_EMBEDDED_DATA_DIR", dataDir.toString(),
      "SURGE_HTTP_PORT", String.valueOf(port), "SURGE_LOG_FORMAT", "json", "SURGE_HTTP_INSTANCES", "1");
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx);
    try {
      long id;
      try (ServiceProcess first = ServiceProcess.start(StandaloneMain.class, env)) {
        ServiceProcesses.awaitReady(client, port, first);
        HttpResponse<Buffer> created = await(client.post(port, "127.0.0.1", "/api/catalog/products").sendJsonObject(new JsonObject()
          .put("sku", "KEEP-1").put("name", "Kept").put("price", 100).put("currency", "EUR").put("stock", 1)));
        assertThat(created.statusCode()).isEqualTo(201);
        id = created.bodyAsJsonObject().getLong("id");
        first.terminate();
        assertThat(first.waitFor(60)).isEqualTo(0);
        List<JsonObject> lines = first.output().lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
        assertThat(lines).as("application logs are JSON lines").isNotEmpty();
        List<String> messages = lines.stream().map(l -> l.getString("formattedMessage")).toList();
        assertThat(messages).contains("pg.url not set: starting an embedded PostgreSQL with its data in "
          + dataDir.resolve("postgres"));
        assertThat(messages).anyMatch(m -> m.startsWith("redis.url not set: using an embedded Redis at redis://127.0.0.1:"));
      }
      try (ServiceProcess second = ServiceProcess.start(StandaloneMain.class, env)) {
        ServiceProcesses.awaitReady(client, port, second);
        HttpResponse<Buffer> read = await(client.get(port, "127.0.0.1", "/api/catalog/products/" + id).send());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject().getString("sku")).isEqualTo("KEEP-1");
        second.terminate();
        assertThat(second.waitFor(60)).isEqualTo(0);
      }
    } finally {
      vertx.close();
    }
  }
}
