package dev.surge.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code surge.access} logger: method, route template (never the raw path, which
 * may carry ids), status, bytes, duration and request id; as text or as a JSON object. Health checks that pass
 * are left out: the gateway checks each replica every second, and orchestrators check every few, so they would
 * outnumber the requests; one that fails is logged.
 */
public final class AccessLog implements Handler<RoutingContext> {

  public static final String LOGGER = "surge.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final boolean json;
  private final Router router;

  AccessLog(boolean json, Router router) {
    this.json = json;
    this.router = router;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ignored -> {
      if (!LOG.isInfoEnabled()) {
        return;
      }
      double ms = (System.nanoTime() - start) / 1_000_000.0;
      String route = routeOf(ctx, router);
      int status = ctx.response().getStatusCode();
      if (status / 100 == 2 && route.startsWith("/health/")) {
        return;
      }
      long bytes = ctx.response().bytesWritten();
      String method = ctx.request().method().name();
      String id = RequestIds.get(ctx);
      if (json) {
        LOG.info(new JsonObject().put("type", "access").put("method", method).put("route", route)
          .put("status", status).put("bytes", bytes).put("durationMs", Math.round(ms * 100) / 100.0)
          .put("requestId", id).encode());
      } else {
        LOG.info("{} {} {} {}B {}ms rid={}", method, route, status, bytes, String.format("%.2f", ms), id);
      }
    });
    ctx.next();
  }

  /** The template of the route that answered; a failure handler has none, so the path is matched again. */
  static String routeOf(RoutingContext ctx, Router router) {
    Route route = ctx.currentRoute();
    String template = route == null ? null : route.getPath();
    if (template == null) {
      template = RouteTemplates.templateOf(router, ctx.request().path());
    }
    return template == null ? "unmatched" : template;
  }
}
