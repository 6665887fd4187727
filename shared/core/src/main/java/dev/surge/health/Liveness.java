package dev.surge.health;

import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.Status;

import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code /health/live} checks: whether the process can still serve, so that when it cannot, a restart is what
 * it needs. The chassis checks that no event loop has been blocked for {@code watchdog.failAfter}
 * ({@link dev.surge.arbiter.BlockedThreads#liveness}). Unlike readiness's checks, it is read from memory in place,
 * with no timer and nothing asynchronous, so a probe costs next to nothing however often it comes; the answer has
 * the shape of {@code /health/ready}'s.
 */
public final class Liveness {

  private final Supplier<Status> eventLoops;

  public Liveness(Supplier<Status> eventLoops) {
    this.eventLoops = eventLoops;
  }

  /** The checks' outcome: UP only if every check is. */
  public CheckResult check() {
    return new CheckResult().setChecks(List.of(CheckResult.from("event-loops", eventLoops.get())));
  }
}
