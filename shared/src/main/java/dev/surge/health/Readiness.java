package dev.surge.health;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code /health/ready} checks: the chassis registers PostgreSQL, the Redis cache and the draining flag;
 * a service may add its own checks. DOWN as soon as the process starts draining.
 */
public final class Readiness {

  public static final long DEFAULT_CHECK_TIMEOUT_MS = 2000;

  private final HealthChecks checks;
  private final AtomicBoolean draining = new AtomicBoolean();

  public Readiness(Vertx vertx) {
    this.checks = HealthChecks.create(vertx);
    checks.register("draining", DEFAULT_CHECK_TIMEOUT_MS, promise -> promise.complete(draining.get()
      ? Status.KO(new JsonObject().put("reason", "shutting down")) : Status.OK()));
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
