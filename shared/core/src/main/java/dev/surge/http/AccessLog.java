package dev.surge.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code surge.access} logger: method, route template (never the raw path, which
 * may carry ids), status, bytes, duration and request id, and, traced, the trace and span ids of the request's
 * server span; as text or as a JSON object. Health checks that pass
 * are left out: the gateway checks each replica every second, and orchestrators check every few, so they would
 * outnumber the requests; one that fails is logged.
 */
public final class AccessLog implements RequestStep {

  public static final String LOGGER = "surge.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final boolean json;
  private final Router router;
  private final boolean traced;

  AccessLog(boolean json, Router router, boolean traced) {
    this.json = json;
    this.router = router;
    this.traced = traced;
  }

  @Override
  public boolean pass(RoutingContext ctx) {
    long start = System.nanoTime();
    // Read now, while the request's server span is current: by the end of the response it is no longer.
    SpanContext current = traced ? Span.current().getSpanContext() : SpanContext.getInvalid();
    SpanContext span = current.isSampled() ? current : SpanContext.getInvalid(); // a trace not kept leads nowhere
    ctx.addEndHandler(ignored -> {
      if (!LOG.isInfoEnabled()) {
        return;
      }
      double ms = (System.nanoTime() - start) / 1_000_000.0;
      String route = RouteTemplates.routeOf(ctx, router);
      int status = ctx.response().getStatusCode();
      if (status / 100 == 2 && route.startsWith("/health/")) {
        return;
      }
      long bytes = ctx.response().bytesWritten();
      String method = ctx.request().method().name();
      String id = RequestIds.get(ctx);
      if (json) {
        JsonObject line = new JsonObject().put("type", "access").put("method", method).put("route", route)
          .put("status", status).put("bytes", bytes).put("durationMs", Math.round(ms * 100) / 100.0)
          .put("requestId", id);
        if (span.isValid()) {
          line.put("traceId", span.getTraceId()).put("spanId", span.getSpanId());
        }
        LOG.info(line.encode());
      } else if (span.isValid()) {
        LOG.info("{} {} {} {}B {}ms rid={} traceId={} spanId={}", method, route, status, bytes,
          String.format("%.2f", ms), id, span.getTraceId(), span.getSpanId());
      } else {
        LOG.info("{} {} {} {}B {}ms rid={}", method, route, status, bytes, String.format("%.2f", ms), id);
      }
    });
    return true;
  }
}
