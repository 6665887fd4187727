package dev.surge.http;

import io.vertx.ext.web.RoutingContext;

/** Vert.x limits the size of the headers but not their number; gunicorn's limit_request_fields does. */
final class HeaderCountLimit implements RequestStep {

  private final int maxHeaders;

  HeaderCountLimit(int maxHeaders) {
    this.maxHeaders = maxHeaders;
  }

  @Override
  public boolean pass(RoutingContext ctx) {
    int count = ctx.request().headers().size();
    if (count > maxHeaders) {
      ctx.response().putHeader("Connection", "close");
      Problem.of(431, "headers-too-large", "Request header fields too large")
        .detail("The request has " + count + " headers; at most " + maxHeaders + " are accepted").send(ctx);
      return false;
    }
    return true;
  }
}
