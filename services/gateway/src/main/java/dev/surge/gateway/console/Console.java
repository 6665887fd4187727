package dev.surge.gateway.console;

import dev.surge.HttpApi;
import dev.surge.ServiceContext;
import dev.surge.gateway.upstreams.Replica;
import dev.surge.gateway.upstreams.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import dev.surge.gateway.pages.BoundedRead;
import dev.surge.gateway.pages.CachedReading;
import dev.surge.gateway.pages.StaticPages;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The console: a page operators look at, served by the gateway, using the public APIs through it like any client
 * (writes with the key the page asks for) and one read-only summary of its own.
 * <pre>
 *   GET /                        to /console/
 *   GET /console/                the page (plain ES modules: index.html, console.js, style.css)
 *   GET /console/uplot/*         uPlot, its charts (the org.webjars.npm:uplot jar: its module and style sheet only)
 *   GET /console/api/overview    each service's replicas: whether the gateway sends them requests, and their
 *                                figures as their /metrics says (totals and gauges; the page takes rates)
 * </pre>
 * The overview reads each configured replica's {@code /metrics} (those addresses, no other) at most once a second for
 * the whole process, however many pages are open on however many HTTP instances ({@link CachedReading}), each read
 * cut off {@link #DEFAULT_SCRAPE_TIMEOUT_MS} after it was asked. Reads are checked as the APIs' are (a key when
 * {@code gateway.readsNeedKey}, the rate limit): see {@code GatewayMain}.
 */
public final class Console implements HttpApi {

  /** The longest a replica's metrics may take, from asking to the last byte; beyond it the replica shows without. */
  public static final long DEFAULT_SCRAPE_TIMEOUT_MS = 900;
  /** How long one reading is served to every page asking, on every HTTP instance of the gateway. */
  public static final long DEFAULT_READING_MS = 1000;
  /** The largest /metrics read. */
  public static final int MAX_METRICS_BYTES = 8 * 1024 * 1024;

  private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
    + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  /** The overview, shared by the process's HTTP instances. */
  static final class Overview extends CachedReading {
    Overview() {
      super(DEFAULT_READING_MS);
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final Supplier<Collection<Upstream>> upstreams;
  private final Overview overview;
  private final String traceViewer;

  /**
   * Over the replicas of {@code upstreams} (the proxy's: whether it sends each requests now); {@code traceViewer}, a
   * URL with {@code {traceId}} (or null), is where the pages link a job to its trace.
   */
  public Console(ServiceContext context, Supplier<Collection<Upstream>> upstreams, String traceViewer) {
    this.traceViewer = traceViewer;
    this.vertx = context.vertx();
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
      .setConnectTimeout((int) DEFAULT_SCRAPE_TIMEOUT_MS));
    this.upstreams = upstreams;
    this.overview = context.shared(Overview.class, Overview::new);
  }

  @Override
  public void routes(Router router) {
    router.get("/").handler(ctx -> {
      if ("/".equals(ctx.request().path())) {
        ctx.redirect("/console/");
      } else {
        ctx.next();
      }
    });
    router.get("/console/api/overview").handler(ctx -> overview.answer(vertx, ctx, this::reading));
    StaticPages.at(router, "/console", SECURITY_POLICY)
      .webjar("uplot", "uplot", "dist", Set.of("uPlot.esm.js", "uPlot.min.css"))
      .files("META-INF/surge-pages/console");
  }

  private Future<Buffer> reading() {
    long now = System.nanoTime();
    List<Future<JsonObject>> replicas = new ArrayList<>();
    JsonArray services = new JsonArray();
    for (Upstream upstream : upstreams.get()) {
      JsonArray list = new JsonArray();
      services.add(new JsonObject().put("name", upstream.name()).put("replicas", list));
      for (Replica replica : upstream.replicas()) {
        JsonObject entry = new JsonObject().put("address", replica.address())
          .put("available", replica.available(now)).put("gatewayInFlight", replica.inFlight());
        list.add(entry);
        replicas.add(scrape(replica).map(figures -> entry.put("figures", figures))
          .otherwise(e -> entry.put("unreachable", true)));
      }
    }
    return Future.join(replicas).otherwiseEmpty().map(v -> {
      JsonObject reading = new JsonObject().put("at", System.currentTimeMillis()).put("services", services);
      if (traceViewer != null) {
        reading.put("traceViewer", traceViewer);
      }
      return reading.toBuffer();
    });
  }

  /** The replica's figures, or a failure once {@link #DEFAULT_SCRAPE_TIMEOUT_MS} is over, whatever it still sends. */
  private Future<JsonObject> scrape(Replica replica) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setServer(replica.socket())
      .setHost(replica.socket().host()).setPort(replica.socket().port()).setURI("/metrics");
    return BoundedRead.read(vertx, client, request, DEFAULT_SCRAPE_TIMEOUT_MS, MAX_METRICS_BYTES)
      .compose(body -> vertx.executeBlocking(() -> ReplicaFigures.of(body.toString()), false)); // off the loop
  }
}
