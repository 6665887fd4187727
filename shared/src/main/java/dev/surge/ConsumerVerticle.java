package dev.surge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.List;

/** One instance of a service's event-bus consumers. */
final class ConsumerVerticle extends VerticleBase {

  private final EventBusApi api;
  private final ServiceContext service;

  ConsumerVerticle(EventBusApi api, ServiceContext service) {
    this.api = api;
    this.service = service;
  }

  @Override
  public Future<?> start() {
    List<MessageConsumer<?>> consumers = api.consumers(vertx.eventBus());
    consumers.forEach(service::consuming);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }
}
