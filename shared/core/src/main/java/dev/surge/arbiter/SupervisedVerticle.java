package dev.surge.arbiter;

import io.vertx.core.Deployable;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;

/**
 * A verticle instance the {@link Arbiter} deploys, counts and replaces: the HTTP instances and the event-bus
 * consumers of every service. It reports its load and knows how to leave without dropping a request.
 */
public interface SupervisedVerticle extends Deployable {

  /** Requests (or messages) answered since the instance started. */
  long served();

  /** Requests (or messages) being handled now. */
  int inFlight();

  /** The thread it runs on: its event loop's name, or {@code worker} / {@code virtual-thread}; null before start. */
  String thread();

  /** When it started serving; null before. */
  Instant startedAt();

  /**
   * Leaves while the other instances go on serving: it takes no new work and finishes what it has, within
   * {@code grace}. An HTTP instance says {@code Connection: close} on every response, so each client moves its next
   * request to another instance, and closes its server once its connections are gone (or sit idle); a consumer
   * instance unregisters its consumers and sends the replies it owes. Undeploying it afterwards is immediate.
   */
  Future<Void> handOff(Duration grace);
}
