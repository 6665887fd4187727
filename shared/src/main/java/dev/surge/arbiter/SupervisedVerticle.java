package dev.surge.arbiter;

import io.vertx.core.Deployable;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;

/**
 * A verticle instance the {@link Arbiter} deploys, counts and replaces: the HTTP instances of every service. It
 * reports its load and knows how to leave without dropping a request.
 */
public interface SupervisedVerticle extends Deployable {

  /** Requests answered since the instance started. */
  long served();

  /** Requests being handled now. */
  int inFlight();

  /** The thread it runs on: its event loop's name, or {@code worker} / {@code virtual-thread}; null before start. */
  String thread();

  /** When it started serving; null before. */
  Instant startedAt();

  /**
   * Leaves while the other instances go on serving: from now on every response says {@code Connection: close},
   * so each client moves its next request to another instance; once the instance's connections are gone (or sit
   * idle), or {@code grace} is over, its server closes. Undeploying it afterwards is immediate.
   */
  Future<Void> handOff(Duration grace);
}
