package dev.surge;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;

import java.util.Map;

/**
 * A service's event-bus handlers by address, such as the catalog's {@code catalog.stock.reserve}. Each of the
 * service's consumer instances ({@code <service>.consumers}, as many as {@code http.instances} to begin with, so
 * messages to an address spread over the event loops the way connections do) is made from its own
 * {@code EventBusApi} and registers every handler; the {@link dev.surge.arbiter.Arbiter} supervises, scales and
 * restarts them like the HTTP instances. The chassis waits for every consumer to be registered (across the
 * cluster, when clustered) before the service reports ready, and unregisters them when it stops.
 */
@FunctionalInterface
public interface EventBusApi {

  /** The handlers by address; a handler that receives a request answers it with {@code reply} or {@code fail}. */
  Map<String, Handler<Message<Object>>> handlers();
}
