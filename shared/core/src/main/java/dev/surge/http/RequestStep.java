package dev.surge.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Objects;

/**
 * One of the chassis' checks run on every request before the routes: it lets the request go on, or answers it (or
 * reroutes it) and stops it there. {@link #inOrder} runs them as one route: Vert.x Web matches and enters each
 * route of a request in turn, and with a route each the chassis' handlers cost every request that much more
 * routing (docs/BENCHMARKS.md, "One route for the chassis' checks").
 */
@FunctionalInterface
interface RequestStep {

  /**
   * Whether the request goes on; false once this step has answered it, failed it ({@code ctx.fail}) or rerouted it.
   * A step never calls {@code ctx.next()}: {@link #inOrder} does, once, after the last step.
   */
  boolean pass(RoutingContext ctx);

  /** The steps as one route's handler, in the order given: on to the next route once every step has passed. */
  static Handler<RoutingContext> inOrder(List<RequestStep> steps) {
    RequestStep[] each = steps.stream().map(Objects::requireNonNull).toArray(RequestStep[]::new);
    return ctx -> {
      for (RequestStep step : each) {
        if (!step.pass(ctx)) {
          return;
        }
      }
      ctx.next();
    };
  }
}
