package dev.surge;

import dev.surge.arbiter.SupervisedVerticleBase;
import dev.surge.config.ChassisKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One instance of a service's event-bus consumers, supervised by the arbiter as {@code <service>.consumers}. It
 * counts the messages it handles, and one is in flight from delivery to its reply (or, for a message that wants
 * none, until its handler returns). It hands off by unregistering its consumers, so new messages go to the other
 * instances, then waiting for its replies in flight.
 */
final class ConsumerVerticle extends SupervisedVerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerVerticle.class);
  private static final long HAND_OFF_POLL_MS = 5;

  private final EventBusApi api;
  private final ServiceContextImpl service;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  ConsumerVerticle(EventBusApi api, ServiceContextImpl service) {
    this.api = api;
    this.service = service;
  }

  @Override
  public Future<?> start() {
    for (Map.Entry<String, Handler<Message<Object>>> handler : api.handlers().entrySet()) {
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(handler.getKey(), m -> handle(handler.getValue(), m));
      consumers.add(consumer);
      service.consuming(consumer);
    }
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
      .onSuccess(v -> serving(Thread.currentThread().getName()));
  }

  private void handle(Handler<Message<Object>> handler, Message<Object> message) {
    inFlight.incrementAndGet();
    Counted counted = new Counted(message);
    try {
      handler.handle(counted);
    } catch (RuntimeException e) {
      LOG.error("The handler of {} failed", message.address(), e);
      if (message.replyAddress() != null) {
        counted.fail(500, "internal error");
      }
    } finally {
      if (message.replyAddress() == null) {
        counted.done();
      }
    }
  }

  /**
   * Unregistered, a consumer gets no new message; one already delivered to it but not yet to its handler is
   * failed by Vert.x with TIMEOUT ("discarded"), which a sender asking again with the same id (as orders does)
   * takes as a reason to ask again.
   */
  @Override
  protected Future<Void> leave(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    Promise<Void> quiet = Promise.promise();
    Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).onComplete(unregistered -> {
      consumers.forEach(service::notConsuming);
      vertx.setPeriodic(HAND_OFF_POLL_MS, timer -> {
        long now = System.nanoTime();
        if (inFlight.get() == 0 || now >= deadline) {
          vertx.cancelTimer(timer);
          LOG.info("Consumers on {} handed off in {} ms: {}", thread(),
            TimeUnit.NANOSECONDS.toMillis(now - deadline + grace.toNanos()),
            inFlight.get() == 0 ? "every reply sent" : "grace over, " + inFlight.get() + " replies not sent");
          quiet.complete();
        }
      });
    });
    return quiet.future();
  }

  @Override
  public Future<?> stop() {
    return handOff(service.config().get(ChassisKeys.SHUTDOWN_GRACE));
  }

  /** The message as its handler sees it: the first reply or failure ends it, once. */
  private final class Counted implements Message<Object> {

    private final Message<Object> message;
    private final AtomicBoolean ended = new AtomicBoolean();

    Counted(Message<Object> message) {
      this.message = message;
    }

    void done() {
      if (ended.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
        served.incrementAndGet();
      }
    }

    @Override
    public String address() {
      return message.address();
    }

    @Override
    public MultiMap headers() {
      return message.headers();
    }

    @Override
    public Object body() {
      return message.body();
    }

    @Override
    public String replyAddress() {
      return message.replyAddress();
    }

    @Override
    public boolean isSend() {
      return message.isSend();
    }

    @Override
    public void reply(Object reply, DeliveryOptions options) {
      try {
        message.reply(reply, options);
      } finally {
        done();
      }
    }

    @Override
    public <R> Future<Message<R>> replyAndRequest(Object reply, DeliveryOptions options) {
      try {
        return message.replyAndRequest(reply, options);
      } finally {
        done();
      }
    }
  }
}
