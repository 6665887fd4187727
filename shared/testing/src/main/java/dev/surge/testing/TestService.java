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
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service started against the test PostgreSQL and Redis, in a database of its own, with a web client pointed
 * at it. Closing it stops the service and drops the database. Either started in a test with {@link #start},
 * or for a whole test class as an extension:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestService service = TestService.perClass(CatalogMain.definition());
 * }</pre>
 */
public final class TestService implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  private final ServiceDefinition definition;
  private final Map<String, ?> overrides;
  private RunningService running;
  private String pgUrl;
  private boolean ownsDatabase = true;
  private boolean crashed;
  private TestService host;
  private Vertx clientVertx;
  private WebClient client;

  private TestService(ServiceDefinition definition, Map<String, ?> overrides) {
    this.definition = definition;
    this.overrides = overrides;
  }

  public static TestService start(ServiceDefinition definition, Map<String, ?> overrides) {
    TestService service = new TestService(definition, overrides);
    service.start();
    return service;
  }

  public static TestService start(ServiceDefinition definition) {
    return start(definition, Map.of());
  }

  /**
   * Another node of a service on the database of {@code first}, as a second replica would be: closing it leaves
   * the database to {@code first}.
   */
  public static TestService anotherNode(TestService first, ServiceDefinition definition, Map<String, ?> overrides) {
    return onDatabaseOf(first, definition, overrides, null);
  }

  /**
   * Another service in the same Vert.x as {@code host} (one process, one event bus) and on its database, as the
   * all-in-one mode runs them. Close it before the host.
   */
  public static TestService beside(TestService host, ServiceDefinition definition, Map<String, ?> overrides) {
    return onDatabaseOf(host, definition, overrides, host);
  }

  /** A service on a database the test made (and drops): an older schema to upgrade, say. */
  public static TestService onDatabase(String pgUrl, ServiceDefinition definition, Map<String, ?> overrides) {
    TestService service = new TestService(definition, overrides);
    service.ownsDatabase = false;
    service.pgUrl = pgUrl;
    service.start();
    return service;
  }

  /** Started on the database of {@code owner}, which keeps it; in the Vert.x of {@code host} when there is one. */
  private static TestService onDatabaseOf(TestService owner, ServiceDefinition definition, Map<String, ?> overrides,
                                          TestService host) {
    TestService service = new TestService(definition, overrides);
    service.ownsDatabase = false;
    service.pgUrl = owner.pgUrl;
    service.host = host;
    service.start();
    return service;
  }

  /** Started before the class's first test and closed after its last. */
  public static TestService perClass(ServiceDefinition definition, Map<String, ?> overrides) {
    return new TestService(definition, overrides);
  }

  public static TestService perClass(ServiceDefinition definition) {
    return perClass(definition, Map.of());
  }

  private void start() {
    if (pgUrl == null && definition.uses(dev.surge.DevServer.POSTGRES)) {
      pgUrl = SurgeTestEnvironment.newDatabase();
    }
    SurgeConfig config = SurgeTestEnvironment.config(definition, pgUrl, overrides);
    try {
      running = await(host == null ? Surge.start(definition, config)
        : Surge.startBeside(host.running, definition, config));
    } catch (RuntimeException e) {
      if (ownsDatabase && pgUrl != null) {
        SurgeTestEnvironment.dropDatabase(pgUrl);
      }
      throw e;
    }
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(running.httpPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(200));
    if (definition.contract() != null) {
      ContractCheck contract = await(ContractCheck.of(clientVertx, definition.contract()));
      ((WebClientInternal) client).addInterceptor(ctx -> answersFit(contract, ctx));
    }
  }

  /**
   * Every answer the client gets is held to the service's contract: one it does not describe fails the request.
   * Through the web client's interceptors, which Vert.x 5 keeps on its internal interface (no public hook sees each
   * response before the caller does).
   */
  private static void answersFit(ContractCheck contract, HttpContext<?> ctx) {
    if (ctx.phase() != ClientPhase.DISPATCH_RESPONSE) {
      ctx.next();
      return;
    }
    HttpResponse<?> response = ctx.response();
    Buffer body = response.body() instanceof Buffer buffer ? buffer : null;
    contract.check(ctx.request().method(), ctx.request().uri(), response.statusCode(), response.headers(), body)
      .onSuccess(v -> ctx.next())
      .onFailure(ctx::fail);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
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

  /**
   * Writes {@code request} as it is on a connection of its own, for requests a client would not send, and reads
   * until the service closes it (so the request should ask {@code Connection: close} or be one it refuses).
   */
  public String raw(String request) throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
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

  /**
   * Stops the node as a crash or a kill -9 would: Vert.x closes with nothing drained, released or stored, and
   * its database connections drop. Closing it afterwards only tidies up.
   */
  public void crash() {
    crashed = true;
    await(running.vertx().close());
  }

  @Override
  public void close() {
    try {
      if (!crashed) {
        await(running.close());
      }
    } finally {
      client.close();
      clientVertx.close();
      if (ownsDatabase && pgUrl != null) {
        SurgeTestEnvironment.dropDatabase(pgUrl);
      }
    }
  }
}
