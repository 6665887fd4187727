package dev.surge.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code surge.access} logger: method, route template (never the raw path, which
 * may carry ids), status, bytes, duration and request id; as text or as a JSON object.
 */
public final class AccessLog implements Handler<RoutingContext> {

  public static final String LOGGER = "surge.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final boolean json;

  public AccessLog(boolean json) {
    this.json = json;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ignored -> {
      if (!LOG.isInfoEnabled()) {
        return;
      }
      double ms = (System.nanoTime() - start) / 1_000_000.0;
      String route = routeOf(ctx);
      int status = ctx.response().getStatusCode();
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

  static String routeOf(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    String path = route == null ? null : route.getPath();
    return path == null ? "unmatched" : path;
  }
}
