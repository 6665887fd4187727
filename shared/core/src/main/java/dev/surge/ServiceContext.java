package dev.surge;

import dev.surge.config.SurgeConfig;
import dev.surge.health.Liveness;
import dev.surge.health.Readiness;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.function.Supplier;

/**
 * What the chassis gives a running service: one of each per process, shared by every HTTP instance. Nothing on
 * it changes once the service has started; the chassis keeps what it tracks (consumers, deployments) to itself.
 */
public interface ServiceContext {

  Vertx vertx();

  /** The service's configuration, every key validated. */
  SurgeConfig config();

  /**
   * The started component of this type that the service is built with ({@link ServiceDefinition.Builder#use}),
   * such as {@code PostgresComponent.Started}; it throws, naming the type, when the service has none.
   */
  <T> T component(Class<T> type);

  /** The service's own meter registry: its meters, tagged with its name, which its {@code /metrics} serves. */
  MeterRegistry registry();

  Readiness readiness();

  /**
   * OpenTelemetry for the spans a service makes itself (a job's attempt, say): the process's tracing, whose spans
   * join those Vert.x makes; a no-op one when {@code tracing.enabled} is off.
   */
  OpenTelemetry openTelemetry();

  /** What {@code /health/live} checks. */
  Liveness liveness();

  /**
   * The service's one {@code type}, made by {@code create} the first time any of its instances asks: state its
   * HTTP instances share (each runs on its own event loop, so it must be thread-safe).
   */
  <T> T shared(Class<T> type, Supplier<? extends T> create);

  /**
   * Deploys a verticle of the service's own (a sweeper, a scheduler), undeployed with the service when it stops:
   * its timers and consumers go with it.
   */
  Future<String> deploy(Supplier<? extends Deployable> verticle, DeploymentOptions options);

  /** A named worker pool from {@code worker.executors}, for blocking work that must not hold an event loop. */
  WorkerExecutor executor(String name);
}
