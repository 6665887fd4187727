package dev.surge.health;

import dev.surge.RunningService;
import dev.surge.Surge;
import dev.surge.pg.Postgres;
import dev.surge.testing.EchoService;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A readiness check slower than {@link Readiness#DEFAULT_CHECK_TIMEOUT_MS} is reported DOWN (timed out); when its
 * answer comes at last, nothing is thrown on the event loop (it was: "Promise already completed", logged as an
 * unhandled exception at the first {@code docker compose up}, where PostgreSQL was slow to answer), and readiness
 * is UP again. PostgreSQL and Redis are reached through a proxy the test stalls, so their answers come late.
 */
class ReadinessChecksAnsweringLateThrowNothingTest {

  private final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
  private final Vertx clientVertx = Vertx.vertx();
  private final WebClient client = WebClient.create(clientVertx);
  private String database;
  private RunningService service;
  private TcpProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.resume();
    }
    if (service != null) {
      await(service.close());
    }
    if (proxy != null) {
      proxy.close();
    }
    if (database != null) {
      SurgeTestEnvironment.dropDatabase(database);
    }
    clientVertx.close();
  }

  @Test
  void postgresAnsweringLateIsDownThenUpAgain() {
    database = SurgeTestEnvironment.newDatabase();
    PgConnectOptions pg = Postgres.connectOptions(database);
    proxy = TcpProxy.start(pg.getHost(), pg.getPort());
    String proxied = "postgresql://" + pg.getUser() + (pg.getPassword() == null ? "" : ":" + pg.getPassword())
      + "@127.0.0.1:" + proxy.port() + "/" + pg.getDatabase();
    // One connection: the check after the stall waits behind the late one, so UP again means the late one is in.
    start(proxied, Map.of("pg.poolSize", 1));
    downWhileStalledThenUp("postgres");
  }

  @Test
  void redisAnsweringLaterThanTheCheckIsDownThenUpAgain() {
    database = SurgeTestEnvironment.newDatabase();
    URI redis = URI.create(SurgeTestEnvironment.redisUrl());
    proxy = TcpProxy.start(redis.getHost(), redis.getPort());
    // A cache timeout longer than the check's, which is what lets the status answer after the check gave up.
    start(database, Map.of("redis.url", "redis://127.0.0.1:" + proxy.port(), "redis.poolSize", 1,
      "cache.timeout", "3s"));
    downWhileStalledThenUp("redis");
  }

  private void start(String pgUrl, Map<String, Object> overrides) {
    service = await(Surge.start(EchoService.definition(),
      SurgeTestEnvironment.config(EchoService.definition(), pgUrl, overrides)));
    service.vertx().exceptionHandler(unhandled::add);
  }

  private void downWhileStalledThenUp(String check) {
    assertThat(ready().statusCode()).isEqualTo(200);

    proxy.stall();
    HttpResponse<Buffer> stalled = ready();
    assertThat(stalled.bodyAsJsonObject().getJsonArray("checks").encode())
      .contains("\"id\":\"" + check + "\",\"status\":\"DOWN\"");

    proxy.resume();
    int status = 0;
    for (int i = 0; i < 100 && status != 200; i++) {
      status = ready().statusCode();
    }
    assertThat(status).as("ready again once " + check + " answers").isEqualTo(200);
    assertThat(unhandled).as("exceptions thrown on the event loop").isEmpty();
    assertThat(stalled.statusCode()).as("DOWN as when %s is down, not a failed check's 500", check).isEqualTo(503);
    assertThat(stalled.bodyAsString()).contains("no answer within");
  }

  private HttpResponse<Buffer> ready() {
    return await(client.get(service.httpPort(), "127.0.0.1", "/health/ready").send());
  }
}
