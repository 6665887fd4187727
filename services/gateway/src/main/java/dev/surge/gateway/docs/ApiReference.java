package dev.surge.gateway.docs;

import dev.surge.HttpApi;
import dev.surge.ServiceContext;
import dev.surge.http.ApiContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import dev.surge.gateway.pages.BoundedRead;
import dev.surge.gateway.pages.CachedReading;
import dev.surge.gateway.pages.StaticPages;
import dev.surge.gateway.upstreams.Replica;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract of every API behind the gateway, and a page to read it:
 * <pre>
 *   GET /openapi.json   every service's contract under its /api/&lt;service&gt; prefix, with the gateway's answers
 *   GET /docs/          the API reference (Swagger UI, from the org.webjars:swagger-ui jar), reading /openapi.json
 * </pre>
 * Each service's part is asked of its replicas in turn ({@code GET /openapi.json}, the addresses configured in
 * {@code gateway.upstreams.*} and no other), at most every {@link #DEFAULT_REFRESH_MS} ms, requests meanwhile sharing
 * the last answer; a service none of whose replicas answers is left out and named in {@code x-surge-unavailable}.
 */
public final class ApiReference implements HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(ApiReference.class);

  /** How long an aggregate is served before the services are asked again. */
  public static final long DEFAULT_REFRESH_MS = 10_000;
  /** How long one replica may take to give its contract, from asking to the last byte. */
  public static final long DEFAULT_FETCH_TIMEOUT_MS = 2_000;
  /** The largest contract a service may give: beyond it the service counts as unavailable. */
  public static final int MAX_CONTRACT_BYTES = 4 * 1024 * 1024;

  /** The page's rules for a browser (Swagger UI sets styles inline). */
  private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' "
    + "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    + "form-action 'none'";

  /** The aggregate, shared by the process's HTTP instances. */
  static final class Aggregate extends CachedReading {
    Aggregate() {
      super(DEFAULT_REFRESH_MS);
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final Map<String, List<String>> upstreams;
  private final Aggregate aggregate;
  private final JsonObject base;

  /**
   * For the services in {@code upstreams}, each with its replicas' host:port addresses, in one document with
   * {@code base}, the gateway's own contract ({@link #baseContract}, read once when the gateway is defined).
   */
  public ApiReference(ServiceContext context, Map<String, List<String>> upstreams, JsonObject base) {
    this.base = base;
    this.vertx = context.vertx();
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
      .setConnectTimeout((int) DEFAULT_FETCH_TIMEOUT_MS));
    this.upstreams = new LinkedHashMap<>(upstreams);
    this.aggregate = context.shared(Aggregate.class, Aggregate::new);
  }

  /**
   * The gateway's own contract: its pages and APIs, held to its routes at start as every service's is (the chassis
   * leaves {@value ApiContract#PATH} to the aggregate).
   */
  public static final String CONTRACT = "openapi/gateway.json";

  /** The gateway's own part of the aggregate (its pages and APIs, the chassis's parts): a classpath resource. */
  public static JsonObject baseContract() {
    return ApiContract.fromResource(CONTRACT).document();
  }

  @Override
  public void routes(Router router) {
    router.get(ApiContract.PATH).handler(ctx -> aggregate.answer(vertx, ctx, this::aggregated));
    StaticPages.at(router, "/docs", SECURITY_POLICY)
      .webjar("swagger-ui", "swagger-ui", "", Set.of("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"))
      .files("META-INF/surge-pages/docs");
  }

  private Future<Buffer> aggregated() {
    Map<String, Future<Buffer>> asked = new LinkedHashMap<>();
    upstreams.forEach((service, replicas) -> asked.put(service, fetch(replicas, 0, "no replica")));
    return Future.join(new ArrayList<>(asked.values())).otherwiseEmpty().compose(v -> {
      Map<String, Buffer> contracts = new LinkedHashMap<>();
      List<String> unavailable = new ArrayList<>();
      asked.forEach((service, contract) -> {
        if (contract.succeeded()) {
          contracts.put(service, contract.result());
        } else {
          unavailable(service, contract.cause().getMessage(), unavailable);
        }
      });
      // Parses, copies and walks up to megabytes of JSON: off the event loop.
      return vertx.executeBlocking(() -> {
        Map<String, JsonObject> parsed = new LinkedHashMap<>();
        contracts.forEach((service, json) -> {
          try {
            parsed.put(service, ContractAggregate.checked(new JsonObject(json)));
          } catch (RuntimeException e) {
            unavailable(service, "not an OpenAPI document: " + e.getMessage(), unavailable);
          }
        });
        return ContractAggregate.of(base, parsed, unavailable).toBuffer();
      }, false);
    });
  }

  private static void unavailable(String service, String why, List<String> unavailable) {
    synchronized (unavailable) {
      unavailable.add(service);
    }
    LOG.warn("No replica of {} gave its contract ({}): /openapi.json names it in x-surge-unavailable", service, why);
  }

  /** The contract from the first replica, in turn, that gives one whole within {@link #DEFAULT_FETCH_TIMEOUT_MS}. */
  private Future<Buffer> fetch(List<String> replicas, int index, String failure) {
    if (index >= replicas.size()) {
      return Future.failedFuture(failure);
    }
    String address = replicas.get(index);
    io.vertx.core.net.SocketAddress socket = Replica.socketOf(address);
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setServer(socket)
      .setHost(socket.host()).setPort(socket.port()).setURI(ApiContract.PATH);
    return BoundedRead.read(vertx, client, request, DEFAULT_FETCH_TIMEOUT_MS, MAX_CONTRACT_BYTES)
      .recover(e -> fetch(replicas, index + 1, address + ": " + e.getMessage()));
  }
}
