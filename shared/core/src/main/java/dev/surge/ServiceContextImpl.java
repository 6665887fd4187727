package dev.surge;

import dev.surge.config.SurgeConfig;
import dev.surge.health.Liveness;
import dev.surge.health.Readiness;
import dev.surge.metrics.Metrics;
import dev.surge.tracing.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.Collection;
import java.util.Map;

/** The chassis's {@link ServiceContext}, with the registries the runtime keeps beside it (consumers, deployments). */
final class ServiceContextImpl implements ComponentContext {

  private final Vertx vertx;
  private final SurgeConfig config;
  private final Metrics metrics;
  private final Tracing tracing;
  private final MeterRegistry registry;
  private final Readiness readiness;
  private final Liveness liveness;
  private final Map<String, WorkerExecutor> executors;
  private final boolean ownsVertx;
  private final java.util.List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.List<MessageConsumer<?>> consumers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<Class<?>, Object> shared = new java.util.concurrent.ConcurrentHashMap<>();
  /** The started components, in the order they started; filled while the service starts, read-only after. */
  private final java.util.List<Component.Running> started = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final String definedName;

  ServiceContextImpl(String definedName, Vertx vertx, SurgeConfig config, Metrics metrics, Tracing tracing,
                     MeterRegistry registry, Readiness readiness, Liveness liveness,
                     Map<String, WorkerExecutor> executors, boolean ownsVertx) {
    this.tracing = tracing;
    this.definedName = definedName;
    this.ownsVertx = ownsVertx;
    this.vertx = vertx;
    this.config = config;
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
  public OpenTelemetry openTelemetry() {
    return tracing == null ? OpenTelemetry.noop() : tracing.openTelemetry();
  }

  /** The process's tracing, or null when it is off. */
  Tracing tracing() {
    return tracing;
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
  public <T> T component(Class<T> type) {
    Component.Running running = started.stream().filter(type::isInstance).findFirst().orElse(null);
    if (running == null) {
      Class<?> named = type.getEnclosingClass() != null ? type.getEnclosingClass() : type;
      throw new IllegalStateException("service " + config.get(dev.surge.config.ChassisKeys.SERVICE_NAME)
        + " is not built with " + named.getSimpleName() + ": name it in the service's definition, "
        + "ServiceDefinition.Builder.use");
    }
    return type.cast(running);
  }

  /** A component started: found by its type from now on. */
  void started(Component.Running running) {
    started.add(running);
  }

  /** The started components, in the order they started. */
  java.util.List<Component.Running> components() {
    return java.util.List.copyOf(started);
  }

  @Override
  public String definedName() {
    return definedName;
  }

  @Override
  public String poolName(String base) {
    String name = ownsVertx ? base : base + "-" + definedName;
    metrics.pool(name, config.get(dev.surge.config.ChassisKeys.SERVICE_NAME));
    return name;
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

  /** Whether the service started its own Vert.x (and closes it), or runs in another service's. */
  boolean ownsVertx() {
    return ownsVertx;
  }

  @Override
  public io.vertx.core.Future<String> deploy(java.util.function.Supplier<? extends io.vertx.core.Deployable> verticle,
                                             io.vertx.core.DeploymentOptions options) {
    // Named after the service, so that what its verticle does is told apart where services share a process.
    io.vertx.core.DeploymentOptions named = new io.vertx.core.DeploymentOptions(options)
      .setConfig(dev.surge.arbiter.ServiceOfContext.naming(config.get(dev.surge.config.ChassisKeys.SERVICE_NAME),
        options.getConfig()));
    return vertx.deployVerticle(verticle, named).onSuccess(this::deployed);
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
