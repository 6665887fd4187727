package dev.surge;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A service's HTTP routes. One is made for each HTTP verticle instance, on that instance's context, after the
 * chassis has installed request ids, access log, limits, health and metrics, and before its error handlers.
 */
@FunctionalInterface
public interface HttpApi {

  void routes(Router router);

  /**
   * What a scrape of {@code /metrics} passes before it is answered, such as the gateway's keys; null, the default:
   * nothing. It runs with the probes, before the overload shedder: a busy service must still say how it is.
   */
  default Handler<RoutingContext> scrapeCheck() {
    return null;
  }
}
