package dev.surge.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What {@code /health/ready} checks: the chassis registers PostgreSQL, the Redis cache and the draining flag;
 * a service may add its own checks ({@link #register}). DOWN as soon as the process starts draining.
 */
public final class Readiness {

  public static final long DEFAULT_CHECK_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final HealthChecks checks;
  private final AtomicBoolean draining = new AtomicBoolean();

  public Readiness(Vertx vertx) {
    this.vertx = vertx;
    this.checks = HealthChecks.create(vertx);
    checks.register("draining", DEFAULT_CHECK_TIMEOUT_MS, promise -> promise.complete(draining.get()
      ? Status.KO(new JsonObject().put("reason", "shutting down")) : Status.OK()));
  }

  /**
   * Adds a check that answers later, such as a query. One that has not answered within
   * {@link #DEFAULT_CHECK_TIMEOUT_MS} is DOWN (503, as when its dependency is down, with the reason), and its answer,
   * when it comes at last, is dropped: completing the check twice would throw on the event loop.
   */
  public void register(String name, Supplier<Future<Status>> check) {
    // The health check's own timeout (a 500, "procedure failed") only backs up the timer, which always comes first.
    checks.register(name, 2 * DEFAULT_CHECK_TIMEOUT_MS, promise -> {
      long timer = vertx.setTimer(DEFAULT_CHECK_TIMEOUT_MS, id -> promise.tryComplete(Status.KO(new JsonObject()
        .put("reason", "no answer within " + DEFAULT_CHECK_TIMEOUT_MS + " ms"))));
      check.get().onComplete((status, failure) -> {
        vertx.cancelTimer(timer);
        if (failure == null) {
          promise.tryComplete(status);
        } else {
          promise.tryFail(failure);
        }
      });
    });
  }

  public HealthChecks checks() {
    return checks;
  }

  public void startDraining() {
    draining.set(true);
  }

  public boolean draining() {
    return draining.get();
  }
}
