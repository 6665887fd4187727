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
import io.vertx.ext.web.RoutingContext;
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
 * The overview reads each configured replica's {@code /metrics} (those addresses, no other) at most once a second
 * for every page open, requests meanwhile sharing the last reading, each within {@link #DEFAULT_SCRAPE_TIMEOUT_MS}.
 */
public final class Console implements HttpApi {

  /** The longest a replica's metrics may take; beyond it the replica shows without figures. */
  public static final long DEFAULT_SCRAPE_TIMEOUT_MS = 900;
  /** How long one reading is served to every page asking. */
  public static final long DEFAULT_READING_MS = 1000;
  /** The largest /metrics read. */
  public static final int MAX_METRICS_BYTES = 8 * 1024 * 1024;

  private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
    + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Vertx vertx;
  private final HttpClient client;
  private final Supplier<Collection<Upstream>> upstreams;
  private Future<Buffer> latest;
  private long latestAt;

  /** Over the replicas of {@code upstreams} (the proxy's: whether it sends each requests now). */
  public Console(ServiceContext context, Supplier<Collection<Upstream>> upstreams) {
    this.vertx = context.vertx();
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
      .setConnectTimeout((int) DEFAULT_SCRAPE_TIMEOUT_MS));
    this.upstreams = upstreams;
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
    router.get("/console/api/overview").handler(this::overview);
    StaticPages.at(router, "/console", SECURITY_POLICY)
      .webjar("uplot", "uplot", "dist", Set.of("uPlot.esm.js", "uPlot.min.css"))
      .files("dev/surge/gateway/console");
  }

  private void overview(RoutingContext ctx) {
    long now = System.nanoTime();
    if (latest == null || (latest.isComplete() && now - latestAt >= DEFAULT_READING_MS * 1_000_000)) {
      latestAt = now;
      latest = reading();
    }
    latest.onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(json))
      .onFailure(ctx::fail);
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
    return Future.join(replicas).otherwiseEmpty().map(v -> new JsonObject()
      .put("at", System.currentTimeMillis()).put("services", services).toBuffer());
  }

  private Future<JsonObject> scrape(Replica replica) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setServer(replica.socket())
      .setHost(replica.socket().host()).setPort(replica.socket().port()).setURI("/metrics")
      .setTimeout(DEFAULT_SCRAPE_TIMEOUT_MS);
    return client.request(request).compose(req -> req.send().compose(response -> {
      String length = response.getHeader("Content-Length");
      if (response.statusCode() != 200 || length == null || Long.parseLong(length) > MAX_METRICS_BYTES) {
        response.request().reset();
        return Future.failedFuture("metrics: " + response.statusCode() + ", " + length + " bytes");
      }
      return response.body();
    })).compose(body -> vertx.executeBlocking(() -> ReplicaFigures.of(body.toString()), false)); // off the loop
  }
}
