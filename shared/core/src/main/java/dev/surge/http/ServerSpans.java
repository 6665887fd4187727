package dev.surge.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.semconv.HttpAttributes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Completes the server span Vert.x makes for each request (named after its method alone) with what only the router
 * knows: its name becomes the method and the route template that answered ({@code GET /products/:id}, as the
 * semantic conventions ask: never the raw path, which carries ids), with {@code http.route}, and the request's
 * {@code X-Request-Id} is recorded on it as {@value #REQUEST_ID_KEY}. The route is set as the headers go out,
 * before Vert.x ends the span: a span that has one by then ends without its raw path
 * ({@link dev.surge.tracing.impl.LeanTags}).
 */
final class ServerSpans implements RequestStep {

  static final String REQUEST_ID_KEY = "surge.request.id";
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey(REQUEST_ID_KEY);

  private final Router router;

  ServerSpans(Router router) {
    this.router = router;
  }

  @Override
  public boolean pass(RoutingContext ctx) {
    Span span = Span.current(); // the request's server span: Vert.x made it current in the request's context
    if (span.isRecording()) {
      span.setAttribute(REQUEST_ID, RequestIds.get(ctx));
      ctx.addHeadersEndHandler(v -> {
        String route = RouteTemplates.routeOf(ctx, router);
        span.setAttribute(HttpAttributes.HTTP_ROUTE, route);
        span.updateName(ctx.request().method().name() + " " + route);
      });
    }
    return true;
  }
}
