package dev.surge;

import io.vertx.ext.web.Router;

/**
 * A service's HTTP routes. One is made for each HTTP verticle instance, on that instance's context, after the
 * chassis has installed request ids, access log, limits, health and metrics, and before its error handlers.
 */
@FunctionalInterface
public interface HttpApi {

  void routes(Router router);
}
