package dev.surge.http;

import dev.surge.ServiceContext;
import dev.surge.ServiceDefinition;
import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One HTTP instance: the chassis's handlers around the service's routes, on one event loop (or worker or virtual
 * thread). Deployed as many times as {@code http.instances} says, each from {@link #factory}.
 */
public final class HttpServerVerticle extends VerticleBase {

  private final ServiceContext service;
  private final ServiceDefinition definition;
  private final OverloadShedder.Stats shedderStats;
  private final int port;
  private final Supplier<Duration> graceLeft;
  private HttpServer server;

  private HttpServerVerticle(ServiceContext service, ServiceDefinition definition, OverloadShedder.Stats shedderStats,
                             int port, Supplier<Duration> graceLeft) {
    this.service = service;
    this.definition = definition;
    this.shedderStats = shedderStats;
    this.port = port;
    this.graceLeft = graceLeft;
  }

  /**
   * Makes the instances of one deployment: they share the overload metrics; each drains within what is left of
   * the grace period when it is undeployed.
   */
  public static Supplier<HttpServerVerticle> factory(ServiceContext service, ServiceDefinition definition, int port,
                                                     Supplier<Duration> graceLeft) {
    OverloadShedder.Stats stats = new OverloadShedder.Stats(service.registry());
    return () -> new HttpServerVerticle(service, definition, stats, port, graceLeft);
  }

  @Override
  public Future<?> start() {
    SurgeConfig config = service.config();
    long retryAfter = config.get(ChassisKeys.HTTP_RETRY_AFTER).toSeconds();
    Router router = Router.router(vertx);

    // HEAD is GET without the body (RFC 9110 §9.3.2): Vert.x leaves the body out of a HEAD response by itself.
    router.route().handler(ctx -> {
      if (ctx.request().method() == HttpMethod.HEAD) {
        ctx.reroute(HttpMethod.GET, ctx.request().uri());
      } else {
        ctx.next();
      }
    });
    router.route().handler(new RequestIds());
    String access = config.get(ChassisKeys.LOG_ACCESS);
    if (!"off".equals(access)) {
      router.route().handler(new AccessLog("json".equals(access), router));
    }
    router.route().handler(new HeaderCountLimit(config.get(ChassisKeys.HTTP_MAX_HEADERS)));

    // Probes and scrapes come before the overload shedder: a busy service must still say how it is.
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(service.readiness().checks()));
    if (service.registry() instanceof PrometheusMeterRegistry prometheus) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }

    TimeoutHandler timeout = TimeoutHandler.create(config.get(ChassisKeys.HTTP_REQUEST_TIMEOUT).toMillis(), 503);
    List<Pattern> streaming = definition.streamingPaths();
    router.route().handler(streaming.isEmpty() ? timeout : ctx -> {
      if (isStreaming(streaming, ctx)) {
        ctx.next();
      } else {
        timeout.handle(ctx);
      }
    });
    router.route().handler(new OverloadShedder(config.get(ChassisKeys.HTTP_MAX_IN_FLIGHT),
      config.get(ChassisKeys.HTTP_MAX_QUEUED), retryAfter, shedderStats));
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.get(ChassisKeys.HTTP_MAX_BODY_SIZE));
    router.route().handler(streaming.isEmpty() ? bodies : ctx -> {
      if (isStreaming(streaming, ctx)) {
        ctx.next(); // the route reads or pipes the request body itself
      } else {
        bodies.handle(ctx);
      }
    });

    definition.http().apply(service).routes(router);
    new Failures(router, retryAfter).install();

    server = vertx.createHttpServer(HttpLimits.serverOptions(config, port))
      .requestHandler(router)
      .invalidRequestHandler(HttpServerVerticle::invalidRequest);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    return server.shutdown(graceLeft.get().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean isStreaming(List<Pattern> streaming, RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return streaming.stream().anyMatch(p -> p.matcher(path).matches());
  }

  /** Requests Netty could not decode: a line or headers over the limits, or garbage. */
  private static void invalidRequest(HttpServerRequest request) {
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
      .end(problem.toJson(requestId, null).toBuffer());
  }
}
