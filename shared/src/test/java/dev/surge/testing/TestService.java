package dev.surge.testing;

import dev.surge.RunningService;
import dev.surge.ServiceDefinition;
import dev.surge.Surge;
import dev.surge.config.SurgeConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service started for one test class against the test PostgreSQL and Redis, in a database of its own, with a
 * web client pointed at it. Closing it stops the service and drops the database.
 */
public final class TestService implements AutoCloseable {

  private final RunningService running;
  private final String pgUrl;
  private final Vertx clientVertx;
  private final WebClient client;

  private TestService(RunningService running, String pgUrl) {
    this.running = running;
    this.pgUrl = pgUrl;
    this.clientVertx = Vertx.vertx();
    this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(running.httpPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(200));
  }

  public static TestService start(ServiceDefinition definition, Map<String, ?> overrides) {
    String pgUrl = SurgeTestEnvironment.newDatabase();
    SurgeConfig config = SurgeTestEnvironment.config(definition, pgUrl, overrides);
    try {
      return new TestService(await(Surge.start(definition, config)), pgUrl);
    } catch (RuntimeException e) {
      SurgeTestEnvironment.dropDatabase(pgUrl);
      throw e;
    }
  }

  public static TestService start(ServiceDefinition definition) {
    return start(definition, Map.of());
  }

  public RunningService running() {
    return running;
  }

  public int port() {
    return running.httpPort();
  }

  public String pgUrl() {
    return pgUrl;
  }

  public WebClient client() {
    return client;
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, path);
  }

  public HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  public HttpResponse<Buffer> get(String path, MultiMap headers) {
    return await(client.get(path).putHeaders(headers).send());
  }

  public HttpResponse<Buffer> postJson(String path, JsonObject body) {
    return await(client.post(path).sendJsonObject(body));
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, MultiMap headers, String body) {
    HttpRequest<Buffer> request = client.request(method, path).putHeaders(headers);
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  /** Waits for a future from the test thread (never from an event loop). */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      await(running.close());
    } finally {
      client.close();
      clientVertx.close();
      SurgeTestEnvironment.dropDatabase(pgUrl);
    }
  }
}
