package dev.surge;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.List;

/**
 * A service's event-bus consumers, such as the catalog's {@code catalog.stock.reserve}. One is made for each of
 * {@code http.instances} consumer verticles, so messages to an address spread over the event loops the way
 * connections do; the chassis waits for every consumer to be registered (across the cluster, when clustered)
 * before the service reports ready, and unregisters them when it stops.
 */
@FunctionalInterface
public interface EventBusApi {

  List<MessageConsumer<?>> consumers(EventBus eventBus);
}
