package dev.surge.http;

import dev.surge.HttpApi;
import dev.surge.ServiceContext;
import dev.surge.ServiceDefinition;
import dev.surge.arbiter.InstanceHooks;
import dev.surge.arbiter.SupervisedVerticleBase;
import dev.surge.metrics.HttpMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

/**
 * One HTTP instance: the chassis's handlers around the service's routes, on one event loop (or worker or virtual
 * thread). The {@link dev.surge.arbiter.Arbiter} deploys as many as {@code http.instances} says, each from
 * {@link #factory}, and adds, removes, recycles and replaces them at run time; all of them share the port.
 */
public final class HttpServerVerticle extends SupervisedVerticleBase {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpServerVerticle.class);
  private static final String INSTANCE_KEY = "surge.instance";
  /** How often a handing-off instance looks whether its connections are gone. */
  private static final long HAND_OFF_POLL_MS = 5;
  /**
   * Connections still open with no request for this long are closed when handing off: their clients are not
   * sending (a browser keeping a connection), and waiting longer only holds the instance.
   */
  private static final long HAND_OFF_IDLE_MS = 250;
  /**
   * A handing-off instance closes when it has had no connection for this long. Every connection it closes sends
   * its client to reconnect, and Vert.x hands some of those back to it until it leaves the rotation; a connection
   * accepted for it in the instant it leaves is closed unread, so it waits for those to die out first.
   */
  private static final long HAND_OFF_QUIET_MS = 50;

  private final ServiceContext service;
  private final HttpOptions options;
  private final ServiceDefinition definition;
  private final OverloadShedder.Stats shedderStats;
  private final HttpMeters meters;
  private final int port;
  private final Supplier<Duration> graceLeft;
  private final InstanceHooks hooks;
  private volatile boolean draining;
  private boolean recycleAsked;
  private int connections; // only touched on the instance's context
  private long lastConnectionNanos = System.nanoTime();
  private long lastActivityNanos = System.nanoTime(); // a connection, a request begun or answered
  private HttpServer server;
  private Router router;

  private HttpServerVerticle(ServiceContext service, ServiceDefinition definition, HttpOptions options,
                             OverloadShedder.Stats shedderStats, HttpMeters meters, int port,
                             Supplier<Duration> graceLeft, InstanceHooks hooks) {
    this.service = service;
    this.options = options;
    this.definition = definition;
    this.shedderStats = shedderStats;
    this.meters = meters;
    this.port = port;
    this.graceLeft = graceLeft;
    this.hooks = hooks;
  }

  /**
   * Makes the instances of one service: they share the overload metrics; each drains within what is left of the
   * grace period when the service shuts down.
   */
  public static java.util.function.Function<InstanceHooks, HttpServerVerticle> factory(ServiceContext service,
      ServiceDefinition definition, HttpOptions options, int port, Supplier<Duration> graceLeft) {
    OverloadShedder.Stats stats = new OverloadShedder.Stats(service.registry());
    HttpMeters meters = new HttpMeters(service.registry());
    return hooks -> new HttpServerVerticle(service, definition, options, stats, meters, port, graceLeft, hooks);
  }

  /**
   * For a route handler that finds its instance unable to go on (a corrupted cache, a resource it cannot get
   * back): the arbiter hands the instance off, its requests in flight still answered, and deploys another.
   */
  public static void markFailed(RoutingContext ctx, Throwable cause) {
    HttpServerVerticle instance = ctx.get(INSTANCE_KEY);
    if (instance != null) {
      instance.hooks.failed(cause);
    }
  }

  @Override
  public Future<?> start() {
    long retryAfter = options.getRetryAfter().toSeconds();
    router = Router.router(vertx);

    // The chassis' checks of every request, in this order, as one route (RequestStep says why).
    List<RequestStep> steps = new ArrayList<>();
    steps.add(HttpServerVerticle::headAsGet);
    // After the reroute, which runs the steps again: a HEAD request is one request served, not two.
    steps.add(this::countAndHandOff);
    steps.add(new RequestIds());
    if (options.isTraced()) {
      steps.add(new ServerSpans(router));
    }
    String access = options.getAccessLog();
    if (!"off".equals(access)) {
      steps.add(new AccessLog("json".equals(access), router, options.isTraced()));
    }
    steps.add(new HeaderCountLimit(options.getMaxHeaders()));
    steps.add(Failures::wellFormed); // before the first route with a path
    router.route().handler(RequestStep.inOrder(steps));

    // Probes and scrapes come before the overload shedder: a busy service must still say how it is.
    router.get("/health/live").handler(ctx -> {
      CheckResult live = service.liveness().check(); // DOWN once an event loop has been stuck for watchdog.failAfter
      ctx.response().setStatusCode(CheckResult.isUp(live) ? 200 : 503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json;charset=UTF-8").end(live.toJson().toBuffer());
    });
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(service.readiness().checks()));
    HttpApi api = definition.http().apply(service); // its routes go in below, after the chassis'
    if (service.registry() instanceof PrometheusMeterRegistry prometheus) {
      Route scrape = router.get("/metrics");
      Handler<RoutingContext> check = api.scrapeCheck(); // the gateway's keys: its meters name every replica
      if (check != null) {
        scrape.handler(check);
      }
      scrape.handler(PrometheusScrapingHandler.create(prometheus));
    }
    ApiContract contract = definition.contract();
    boolean[] contractServedByTheService = {false}; // known once the service's routes are in (below)
    if (contract != null) {
      router.get(ApiContract.PATH).handler(ctx -> {
        if (contractServedByTheService[0]) {
          ctx.next();
        } else {
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(contract.encoded());
        }
      });
    }

    long timeoutNanos = options.getRequestTimeout().toNanos();
    List<Pattern> streaming = definition.streamingPaths();
    ObjLongConsumer<RoutingContext> untilDeadline;
    if (context.threadingModel() == ThreadingModel.EVENT_LOOP) {
      untilDeadline = new LoopDeadlines(vertx, Failures.TIMED_OUT)::handle;
    } else {
      TimeoutHandler timeout = TimeoutHandler.create(options.getRequestTimeout().toMillis(), Failures.TIMED_OUT);
      untilDeadline = (ctx, deadline) -> timeout.handle(ctx);
    }
    router.route().handler(ctx -> {
      if (!streaming.isEmpty() && isStreaming(streaming, ctx)) {
        ctx.next();
      } else {
        long deadline = System.nanoTime() + timeoutNanos;
        ctx.put(Requests.DEADLINE, deadline); // Requests.deadlineNanos
        untilDeadline.accept(ctx, deadline);
      }
    });
    router.route().handler(new OverloadShedder(options.getMaxInFlight(),
      options.getMaxQueued(), retryAfter, shedderStats));
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(options.getMaxBodySize());
    router.route().handler(ctx -> {
      if (!BODY_METHODS.contains(ctx.request().method()) && isForm(ctx.request())) {
        // Vert.x's BodyHandler throws on a form sent with GET or OPTIONS; no Surge API reads form data (one sent
        // with POST, PUT, PATCH or DELETE is refused 415 by the route that finds no JSON), so it is refused here.
        Problem.unsupportedMediaType().send(ctx);
      } else if (isStreaming(streaming, ctx)) {
        ctx.next(); // the route reads or pipes the request body itself
      } else {
        bodies.handle(ctx);
      }
    });

    int chassisRoutes = router.getRoutes().size();
    api.routes(router);
    if (contract != null) {
      List<Route> routes = router.getRoutes().subList(chassisRoutes, router.getRoutes().size());
      contractServedByTheService[0] = ApiContract.servedAmong(routes);
      List<String> mismatches = contract.mismatches(routes);
      if (!mismatches.isEmpty()) {
        return Future.failedFuture(new IllegalStateException("The routes and the contract (" + contract.resource()
          + ") differ: " + String.join("; ", mismatches)));
      }
    }
    new Failures(router, retryAfter).install();

    server = vertx.createHttpServer(HttpLimits.serverOptions(options, port))
      .connectionHandler(connection -> {
        connections++;
        meters.connected();
        lastConnectionNanos = System.nanoTime();
        lastActivityNanos = lastConnectionNanos;
        connection.closeHandler(v -> {
          connections--;
          meters.disconnected();
        });
      })
      .requestHandler(request -> {
        // Every response carries Date (RFC 9110 §6.6.1), those Vert.x Web answers before a handler runs too.
        request.response().putHeader(HttpHeaders.DATE, HttpDate.header());
        router.handle(request);
      })
      .invalidRequestHandler(this::invalidRequest);
    ThreadingModel model = context.threadingModel();
    return server.listen().onSuccess(s -> {
      serving(model == ThreadingModel.EVENT_LOOP ? Thread.currentThread().getName()
        : model == ThreadingModel.VIRTUAL_THREAD ? "virtual-thread" : "worker");
    });
  }

  /**
   * Counts the request; once the instance hands off or the process drains, says {@code Connection: close} on the
   * response, so the client closes the connection and sends its next request on a new one, to another instance,
   * instead of meeting this one closing (what {@code HttpServer.shutdown} alone does to a connection between two
   * requests).
   */
  private boolean countAndHandOff(RoutingContext ctx) {
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    lastActivityNanos = start;
    ctx.put(INSTANCE_KEY, this);
    ctx.addHeadersEndHandler(v -> {
      // Set again as the headers go out: the time the answer was made, and the gateway's proxy puts its own
      // (RFC_1123_DATE_TIME, a one-digit day) in the meantime.
      ctx.response().headers().set(HttpHeaders.DATE, HttpDate.header());
      if (draining || service.readiness().draining()) {
        // The client closes the connection after reading this (RFC 9112 §9.6). Closing it here instead races
        // with the response's own write and has lost responses. From the start of the process's drain, not only
        // when the listener closes: through shutdown.delay each kept-alive connection is closed by its client
        // after its next answer, so few are left idle for the listener's close to cut under a request on its way
        // (which fails that request, where a client reconnecting is refused at once or reaches another replica).
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      }
    });
    ctx.addEndHandler(ar -> {
      inFlight.decrementAndGet();
      lastActivityNanos = System.nanoTime();
      if (ar.succeeded()) { // else the connection closed before the answer ended: no answer to count
        meters.answered(ctx.request().method().name(), ctx.response().getStatusCode(), RouteTemplates.routeOf(ctx,
          router), lastActivityNanos - start);
      }
      long count = served.incrementAndGet();
      long limit = hooks.recycleAfter();
      if (limit > 0 && count >= limit && !recycleAsked) {
        recycleAsked = true;
        hooks.recycleDue();
      }
    });
    return true;
  }

  /**
   * HEAD is GET without the body (RFC 9110 §9.3.2): Vert.x leaves the body out of a HEAD response by itself.
   * Rerouted by path and query: an absolute-form target (http://host/path) is no path to reroute to.
   */
  private static boolean headAsGet(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.HEAD) {
      return true;
    }
    String query = ctx.request().query();
    ctx.reroute(HttpMethod.GET, ctx.request().path() + (query == null ? "" : "?" + query));
    return false;
  }

  @Override
  protected Future<Void> leave(Duration grace) {
    draining = true;
    if (server == null) {
      return Future.succeededFuture();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    AcceptRotation rotation = AcceptRotation.of(server);
    if (rotation != null && rotation.leaveIfLast()) {
      lastConnectionNanos = System.nanoTime();
    }
    Promise<Void> quiet = Promise.promise();
    vertx.setPeriodic(HAND_OFF_POLL_MS, timer -> {
      long now = System.nanoTime();
      if (rotation != null && rotation.leaveIfLast()) { // the other instance on this loop left first
        lastConnectionNanos = now; // a connection picked for this loop just before may still be on its way
      }
      // Not a request nor a connection for a while: what connections are left belong to clients not sending.
      boolean idle = inFlight.get() == 0 && now - lastActivityNanos >= TimeUnit.MILLISECONDS.toNanos(HAND_OFF_IDLE_MS);
      boolean gone = connections == 0 && now - lastConnectionNanos >= TimeUnit.MILLISECONDS.toNanos(HAND_OFF_QUIET_MS);
      if (gone || idle || now >= deadline) {
        vertx.cancelTimer(timer);
        LOG.info("Instance on {} handed off in {} ms: {}", thread(), (now - deadline + grace.toNanos()) / 1_000_000,
          gone ? "its clients moved" : idle ? connections + " idle connections closed"
            : "grace over, " + connections + " connections closed");
        quiet.complete();
      }
    });
    // Checked and closed in one task on the instance's context: no connection of its own can start in between.
    return quiet.future().compose(v -> {
      if (rotation != null) {
        rotation.beforeClose();
      }
      return server.shutdown(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    });
  }

  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    if (handedOff() != null) {
      return handedOff();
    }
    draining = true;
    return server.shutdown(graceLeft.get().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The methods whose form bodies Vert.x's BodyHandler decodes rather than throws on. */
  private static final java.util.Set<HttpMethod> BODY_METHODS = java.util.Set.of(HttpMethod.POST, HttpMethod.PUT,
    HttpMethod.PATCH, HttpMethod.DELETE);

  private static boolean isForm(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null) {
      return false;
    }
    String media = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return media.equals("application/x-www-form-urlencoded") || media.startsWith("multipart/");
  }

  private static boolean isStreaming(List<Pattern> streaming, RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return streaming.stream().anyMatch(p -> p.matcher(path).matches());
  }

  /** Requests Netty could not decode: a line or headers over the limits, or garbage. */
  private void invalidRequest(HttpServerRequest request) {
    long start = System.nanoTime();
    Throwable cause = request.decoderResult().cause();
    String message = cause instanceof TooLongFrameException ? cause.getMessage() : "";
    Problem problem;
    if (message != null && message.contains("HTTP line")) {
      problem = Problem.of(414, "uri-too-long", "Request line too long")
        .detail("The request line exceeds the limit");
    } else if (message != null && message.contains("header")) {
      problem = Problem.of(431, "headers-too-large", "Request header fields too large")
        .detail("The request headers exceed the size limit");
    } else {
      problem = Problem.badRequest("The request is not valid HTTP");
    }
    String requestId = RequestIds.newId();
    request.response().setStatusCode(problem.status())
      .putHeader("Content-Type", Problem.CONTENT_TYPE)
      .putHeader("Connection", "close")
      .putHeader(RequestIds.HEADER, requestId)
      .putHeader(HttpHeaders.DATE, HttpDate.header())
      .end(problem.toJson(requestId, null).toBuffer());
    meters.answered(request.method().name(), problem.status(), RouteTemplates.UNMATCHED, System.nanoTime() - start);
  }
}
