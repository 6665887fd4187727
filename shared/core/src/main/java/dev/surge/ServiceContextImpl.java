package dev.surge;

import dev.surge.config.SurgeConfig;
import dev.surge.health.Liveness;
import dev.surge.health.Readiness;
import dev.surge.metrics.Metrics;
import dev.surge.jobs.JobQueue;
import dev.surge.redis.RedisCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;

import java.util.Collection;
import java.util.Map;

/** The chassis's {@link ServiceContext}, with the registries the runtime keeps beside it (consumers, deployments). */
final class ServiceContextImpl implements ServiceContext {

  private final Vertx vertx;
  private final SurgeConfig config;
  private final Pool pg;
  private final RedisCache redis;
  private final Metrics metrics;
  private final MeterRegistry registry;
  private final Readiness readiness;
  private final Liveness liveness;
  private final Map<String, WorkerExecutor> executors;
  private final boolean ownsVertx;
  private final java.util.List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.List<MessageConsumer<?>> consumers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<Class<?>, Object> shared = new java.util.concurrent.ConcurrentHashMap<>();
  private final JobQueue jobs;

  ServiceContextImpl(Vertx vertx, SurgeConfig config, Pool pg, RedisCache redis, JobQueue jobs, Metrics metrics,
                     MeterRegistry registry, Readiness readiness, Liveness liveness,
                     Map<String, WorkerExecutor> executors, boolean ownsVertx) {
    this.jobs = jobs;
    this.ownsVertx = ownsVertx;
    this.vertx = vertx;
    this.config = config;
    this.pg = pg;
    this.redis = redis;
    this.metrics = metrics;
    this.registry = registry;
    this.readiness = readiness;
    this.liveness = liveness;
    this.executors = executors;
  }

  @Override
  public <T> T shared(Class<T> type, java.util.function.Supplier<? extends T> create) {
    return type.cast(shared.computeIfAbsent(type, t -> create.get()));
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public SurgeConfig config() {
    return config;
  }

  @Override
  public Pool pg() {
    if (pg == null) {
      throw new IllegalStateException("service " + config.get(dev.surge.config.ChassisKeys.SERVICE_NAME)
        + " is defined withoutPostgres(): it has no PostgreSQL pool");
    }
    return pg;
  }

  boolean hasRedis() {
    return redis != null;
  }

  boolean hasPostgres() {
    return pg != null;
  }

  @Override
  public RedisCache redis() {
    if (redis == null) {
      throw new IllegalStateException("service " + config.get(dev.surge.config.ChassisKeys.SERVICE_NAME)
        + " is defined withoutRedis(): it has no Redis cache");
    }
    return redis;
  }

  @Override
  public MeterRegistry registry() {
    return registry;
  }

  /** The process's registries, which a service started beside this one gets its own from. */
  Metrics metrics() {
    return metrics;
  }

  @Override
  public Readiness readiness() {
    return readiness;
  }

  @Override
  public Liveness liveness() {
    return liveness;
  }

  @Override
  public JobQueue jobs() {
    if (jobs == null) {
      throw new IllegalStateException("this service runs no job queue: define it with ServiceDefinition.Builder.jobs");
    }
    return jobs;
  }

  JobQueue jobQueueOrNull() {
    return jobs;
  }

  /** Whether the service started its own Vert.x (and closes it), or runs in another service's. */
  boolean ownsVertx() {
    return ownsVertx;
  }

  @Override
  public io.vertx.core.Future<String> deploy(java.util.function.Supplier<? extends io.vertx.core.Deployable> verticle,
                                             io.vertx.core.DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).onSuccess(this::deployed);
  }

  /** An event-bus consumer of the service's, withdrawn first when it drains. */
  void consuming(MessageConsumer<?> consumer) {
    consumers.add(consumer);
  }

  /** A consumer its instance unregistered as it left (scaled away, replaced): nothing left to withdraw. */
  void notConsuming(MessageConsumer<?> consumer) {
    consumers.remove(consumer);
  }

  /** The consumers registered now, withdrawn when the service drains. */
  java.util.List<MessageConsumer<?>> consumers() {
    return java.util.List.copyOf(consumers);
  }

  /**
   * Unregisters every consumer: in a cluster the other members stop sending here once they hear of it. The
   * verticles stay, so the handlers already running still reply.
   */
  Future<Void> withdrawConsumers() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).otherwiseEmpty().mapEmpty();
  }

  /** Verticles the chassis deployed for the service besides its HTTP instances, undeployed when it stops. */
  void deployed(String deploymentId) {
    deployments.add(deploymentId);
  }

  java.util.List<String> deployments() {
    return deployments;
  }

  Collection<WorkerExecutor> executors() {
    return executors.values();
  }

  @Override
  public WorkerExecutor executor(String name) {
    WorkerExecutor executor = executors.get(name);
    if (executor == null) {
      throw new IllegalArgumentException("no worker executor named " + name + " in worker.executors "
        + executors.keySet());
    }
    return executor;
  }
}
