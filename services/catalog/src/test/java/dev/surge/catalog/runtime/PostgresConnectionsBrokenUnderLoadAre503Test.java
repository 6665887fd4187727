package dev.surge.catalog.runtime;

import dev.surge.RunningService;
import dev.surge.ServiceDefinition;
import dev.surge.Surge;
import dev.surge.catalog.CatalogMain;
import dev.surge.pg.Postgres;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whatever the transport throws when PostgreSQL's connections break (reset, closed, half-closed, refused) under
 * load, every answer is 200 or a 503 {@code dependency-unavailable}, never a 500. PostgreSQL is reached through a
 * TCP proxy the test breaks, so the machine's server keeps running for everyone else.
 */
class PostgresConnectionsBrokenUnderLoadAre503Test {

  private static final int CLIENTS = 4;

  @ParameterizedTest(name = "vertx.transport={0}")
  @ValueSource(strings = {"nio", "io_uring"})
  void everyAnswerIs200Or503(String transport) throws Exception {
    assumeTrue(!"io_uring".equals(transport) || Transport.IO_URING.available(), "io_uring cannot run here");
    ServiceDefinition catalog = CatalogMain.definition();
    String database = SurgeTestEnvironment.newDatabase();
    PgConnectOptions pg = Postgres.connectOptions(database);
    Vertx vertx = Vertx.vertx();
    RunningService service = null;
    try (TcpProxy proxy = TcpProxy.start(pg.getHost(), pg.getPort())) {
      String proxied = "postgresql://" + pg.getUser() + (pg.getPassword() == null ? "" : ":" + pg.getPassword())
        + "@127.0.0.1:" + proxy.port() + "/" + pg.getDatabase();
      service = await(Surge.start(catalog, SurgeTestEnvironment.config(catalog, proxied, Map.of(
        "vertx.transport", transport, "pg.connectionTimeout", "1s", "http.retryAfter", "1s"))));
      WebClient client = WebClient.create(vertx);
      int port = service.httpPort();
      for (int i = 0; i < 5; i++) {
        HttpResponse<Buffer> created = await(client.post(port, "127.0.0.1", "/products").sendJsonObject(new JsonObject()
          .put("sku", "CUT-" + i).put("name", "n").put("price", 1).put("currency", "EUR").put("stock", 1)));
        assertThat(created.statusCode()).isEqualTo(201);
      }

      ConcurrentMap<String, AtomicInteger> answers = new ConcurrentHashMap<>();
      AtomicBoolean loading = new AtomicBoolean(true);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(Thread.ofVirtual().start(() -> {
          while (loading.get()) {
            answers.computeIfAbsent(outcome(client, port), k -> new AtomicInteger()).incrementAndGet();
          }
        }));
      }
      for (int round = 0; round < 3; round++) {
        Thread.sleep(300);
        proxy.resetAll();
        Thread.sleep(300);
        proxy.closeAll();
        Thread.sleep(300);
        proxy.halfCloseAll();
        Thread.sleep(300);
        proxy.refuse(true); // down for a while: connections refused, the pool cannot reconnect
        proxy.resetAll();
        Thread.sleep(1500);
        proxy.refuse(false);
      }
      loading.set(false);
      for (Thread t : clients) {
        t.join();
      }

      assertThat(answers.keySet()).as("answers and how many: %s", answers)
        .containsAnyOf("503 dependency-unavailable")
        .isSubsetOf("200", "503 dependency-unavailable");
      String after = "none";
      for (int i = 0; i < 100 && !after.equals("200"); i++) {
        Thread.sleep(100);
        after = outcome(client, port);
      }
      assertThat(after).as("back once PostgreSQL is reachable again").isEqualTo("200");
    } finally {
      if (service != null) {
        await(service.close());
      }
      await(vertx.close());
      SurgeTestEnvironment.dropDatabase(database);
    }
  }

  /** "200", or the status and the problem's type slug. */
  private static String outcome(WebClient client, int port) {
    HttpResponse<Buffer> response = await(client.get(port, "127.0.0.1", "/products?limit=5").send());
    if (response.statusCode() == 200) {
      return "200";
    }
    String type = "application/problem+json".equals(response.getHeader("Content-Type"))
      ? new JsonObject(response.body()).getString("type", "").replace("https://surge.dev/problems/", "") : "not a problem";
    return response.statusCode() + " " + type;
  }
}
