package dev.surge;

import dev.surge.admin.AdminOptions;
import dev.surge.admin.AdminServer;
import dev.surge.arbiter.Arbiter;
import dev.surge.arbiter.SupervisionOptions;
import dev.surge.cluster.ClusterOptions;
import dev.surge.cluster.ClusterProvider;
import dev.surge.cluster.Clustering;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigException;
import dev.surge.config.SurgeConfig;
import dev.surge.health.Liveness;
import dev.surge.health.Readiness;
import dev.surge.http.HttpOptions;
import dev.surge.http.HttpServerVerticle;
import dev.surge.metrics.Metrics;
import dev.surge.metrics.EventLoopLag;
import dev.surge.net.FreePorts;
import dev.surge.tracing.CallerTraces;
import dev.surge.tracing.Tracing;
import dev.surge.tracing.TracingOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.WorkerExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runtime: starts a service from a resolved configuration (builds Vert.x with metrics, joins the cluster,
 * starts the service's components, deploys the consumers and the HTTP instances) and returns it running, as a future;
 * {@link RunningService#shutdown()} drains it. It never exits the process or reads its arguments: that is
 * {@link Launcher}'s.
 */
public final class Surge {

  private static final Logger LOG = LoggerFactory.getLogger(Surge.class);
  /** A member's event-bus certificate this close to its end is warned of at the start. */
  private static final java.time.Duration CERTIFICATE_WARNING = java.time.Duration.ofDays(30);

  private Surge() {
  }

  /**
   * Starts the service with an already resolved configuration; the URLs of the servers its components need must be
   * set (the launcher's embedded servers, or a test's). Blocking work runs on worker threads.
   */
  public static Future<RunningService> start(ServiceDefinition definition, SurgeConfig config) {
    IllegalStateException unset = missingUrls(definition, config);
    if (unset != null) {
      return Future.failedFuture(unset);
    }
    try {
      AdminServer.validate(config);
      Clustering.validate(config);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    CompletableFuture<Void> prepared = prepare(definition, config); // beside the Vert.x's building and joining
    Metrics metrics = Metrics.create(config.get(ChassisKeys.METRICS_ENABLED), config.get(ChassisKeys.SERVICE_NAME));
    Tracing tracing = config.get(ChassisKeys.TRACING_ENABLED) ? Tracing.start(tracingOptions(config), metrics.registry())
      : null;
    return createVertx(config, metrics, tracing)
      .onFailure(err -> {
        if (tracing != null) {
          tracing.close();
        }
      })
      .onSuccess(vertx -> {
        if (metrics.enabled()) {
          EventLoopLag.watch(vertx, metrics.registry());
        }
      })
      .compose(vertx -> {
        Arbiter arbiter = new Arbiter(vertx, metrics.registry(), config.get(ChassisKeys.WATCHDOG_FAIL_AFTER));
        return startOn(vertx, metrics, tracing, arbiter, true, definition, config, prepared)
          .compose(service -> AdminServer.start(vertx, arbiter, new AdminOptions(config.get(ChassisKeys.ADMIN_HOST),
            config.get(ChassisKeys.ADMIN_PORT), config.get(ChassisKeys.ADMIN_TOKEN)))
            .map(admin -> {
              if (admin != null) {
                LOG.info("Admin API on {}:{}", config.get(ChassisKeys.ADMIN_HOST), admin.actualPort());
              }
              return service;
            })
            .recover(err -> service.close().transform(ar -> Future.failedFuture(err))));
      });
  }

  /**
   * Starts another service in the Vert.x of {@code host}: one process, one event bus, so the two talk over it
   * as they would across a cluster. The service has its own configuration, port, pools, readiness and meter
   * registry (its meters tagged with its own name), and stopping it leaves the host running.
   */
  public static Future<RunningService> startBeside(RunningService host, ServiceDefinition definition,
                                                   SurgeConfig config) {
    IllegalStateException unset = missingUrls(definition, config);
    if (unset != null) {
      return Future.failedFuture(unset);
    }
    if (host.tracing() != null) {
      host.tracing().sharedWithAnotherService(config.get(ChassisKeys.SERVICE_NAME), callerTraces(config));
    }
    return startOn(host.vertx(), host.metrics(), host.tracing(), host.arbiter(), false, definition, config,
      prepare(definition, config));
  }

  /**
   * Runs the components' preparations ({@link Component#preparation}), in the definition's order, on a thread of
   * their own (blocking work: a schema's migrations), and completes when all are done or one failed.
   */
  private static CompletableFuture<Void> prepare(ServiceDefinition definition, SurgeConfig config) {
    List<Callable<?>> steps = definition.components().stream()
      .<Callable<?>>map(component -> component.preparation(definition.name(), config)).filter(Objects::nonNull).toList();
    if (steps.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofPlatform().name("surge-prepare-" + definition.name()).daemon().start(() -> {
      try {
        for (Callable<?> step : steps) {
          step.call(); // blocking: this thread's purpose
        }
        done.complete(null);
      } catch (Exception | Error e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** The failure naming the URL keys of the servers the service uses that are unset, or null when none is. */
  private static IllegalStateException missingUrls(ServiceDefinition definition, SurgeConfig config) {
    List<String> unset = java.util.Arrays.stream(DevServer.values())
      .filter(server -> definition.uses(server) && config.get(server.url()) == null)
      .map(server -> server.url().name()).toList();
    return unset.isEmpty() ? null : new IllegalStateException("the URLs of the servers it uses must be set: " + unset);
  }

  private static Future<RunningService> startOn(Vertx vertx, Metrics metrics, Tracing tracing, Arbiter arbiter,
                                                boolean ownsVertx, ServiceDefinition definition, SurgeConfig config,
                                                CompletableFuture<Void> prepared) {
    String serviceName = config.get(ChassisKeys.SERVICE_NAME);
    arbiter.register(serviceName, config.toJson());
    int port = config.get(ChassisKeys.HTTP_PORT) == 0 ? FreePorts.pick() : config.get(ChassisKeys.HTTP_PORT);
    MeterRegistry registry = metrics.forService(serviceName, port);
    Readiness readiness = new Readiness(vertx);
    readiness.checks().register("blocked-threads", Readiness.DEFAULT_CHECK_TIMEOUT_MS,
      promise -> promise.complete(arbiter.blockedThreads().status()));
    Liveness liveness = new Liveness(arbiter.blockedThreads()::liveness);
    Map<String, WorkerExecutor> executors = new LinkedHashMap<>();
    config.get(ChassisKeys.WORKER_EXECUTORS).forEach((name, size) -> executors.put(name,
      vertx.createSharedWorkerExecutor(name, size, config.get(ChassisKeys.WORKER_MAX_EXECUTE_TIME).toMillis(),
        TimeUnit.MILLISECONDS)));
    ServiceContextImpl context = new ServiceContextImpl(definition.name(), vertx, config, metrics, tracing, registry,
      readiness, liveness, executors, ownsVertx);

    AtomicLong graceDeadline = new AtomicLong(System.nanoTime() + config.get(ChassisKeys.SHUTDOWN_GRACE).toNanos());
    int instances = config.get(ChassisKeys.HTTP_INSTANCES);
    SupervisionOptions supervision = new SupervisionOptions()
      .setInstances(instances)
      .setThreadingModel(threadingModel(config.get(definition.threadingModelKey())))
      .setGrace(config.get(ChassisKeys.SHUTDOWN_GRACE))
      .setMaxRequests(config.get(ChassisKeys.HTTP_MAX_REQUESTS))
      .setMaxRequestsJitter(config.get(ChassisKeys.HTTP_MAX_REQUESTS_JITTER))
      .setBackoff(config.get(ChassisKeys.SUPERVISOR_BACKOFF))
      .setMaxBackoff(config.get(ChassisKeys.SUPERVISOR_MAX_BACKOFF));
    // As many consumer instances as HTTP ones, on event loops; not recycled (http.maxRequests counts requests).
    SupervisionOptions consumerSupervision = new SupervisionOptions()
      .setInstances(instances)
      .setGrace(config.get(ChassisKeys.SHUTDOWN_GRACE))
      .setBackoff(config.get(ChassisKeys.SUPERVISOR_BACKOFF))
      .setMaxBackoff(config.get(ChassisKeys.SUPERVISOR_MAX_BACKOFF));

    Future<Void> components = Future.fromCompletionStage(prepared, vertx.getOrCreateContext());
    for (Component component : definition.components()) {
      components = components.compose(v -> component.start(context).map(running -> {
        context.started(running);
        return null;
      }));
    }
    Future<RunningService> started = components
      .compose(v -> definition.onStart().apply(context))
      .compose(v -> {
        Future<Void> running = Future.succeededFuture();
        for (Component.Running component : context.components()) {
          running = running.compose(x -> component.run());
        }
        return running;
      })
      .compose(v -> definition.eventBus() == null ? Future.<Void>succeededFuture()
        : arbiter.supervise(serviceName, Arbiter.CONSUMERS, consumerSupervision,
          hooks -> new ConsumerVerticle(definition.eventBus().apply(context), context), context.registry()))
      .compose(v -> arbiter.supervise(serviceName, Arbiter.HTTP, supervision, HttpServerVerticle.factory(context,
        definition, httpOptions(config).setTraced(tracing != null), port, () -> Duration.ofNanos(Math.max(0, graceDeadline.get() - System.nanoTime()))),
        context.registry()))
      .map(v -> new RunningService(context, port, arbiter, graceDeadline));

    // The result is bound to no event loop: on failure it completes after Vert.x is closed, when none is left.
    CompletableFuture<RunningService> result = new CompletableFuture<>();
    started.onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        RunningService.release(context).onComplete(closed -> result.completeExceptionally(ar.cause()));
      }
    });
    return Future.fromCompletionStage(result);
  }

  /** The one place the HTTP pipeline's keys are read. */
  private static HttpOptions httpOptions(SurgeConfig config) {
    return new HttpOptions().setHost(config.get(ChassisKeys.HTTP_HOST))
      .setMaxInitialLineLength(config.get(ChassisKeys.HTTP_MAX_INITIAL_LINE_LENGTH))
      .setMaxHeaderSize(config.get(ChassisKeys.HTTP_MAX_HEADER_SIZE)).setMaxHeaders(config.get(ChassisKeys.HTTP_MAX_HEADERS))
      .setIdleTimeout(config.get(ChassisKeys.HTTP_IDLE_TIMEOUT)).setAcceptBacklog(config.get(ChassisKeys.HTTP_ACCEPT_BACKLOG))
      .setRequestTimeout(config.get(ChassisKeys.HTTP_REQUEST_TIMEOUT)).setMaxBodySize(config.get(ChassisKeys.HTTP_MAX_BODY_SIZE))
      .setMaxInFlight(config.get(ChassisKeys.HTTP_MAX_IN_FLIGHT)).setMaxQueued(config.get(ChassisKeys.HTTP_MAX_QUEUED))
      .setRetryAfter(config.get(ChassisKeys.HTTP_RETRY_AFTER)).setAccessLog(config.get(ChassisKeys.LOG_ACCESS));
  }

  /** The one place the tracing keys are read; the spans' service name is the service's unless set. */
  static TracingOptions tracingOptions(SurgeConfig config) {
    String name = config.get(ChassisKeys.TRACING_SERVICE_NAME);
    return new TracingOptions().setEndpoint(config.get(ChassisKeys.TRACING_ENDPOINT))
      .setSamplingRatio(config.get(ChassisKeys.TRACING_SAMPLING_RATIO))
      .setCallerTraces(callerTraces(config))
      .setServiceName(name == null ? config.get(ChassisKeys.SERVICE_NAME) : name)
      .setMaxQueueSize(config.get(ChassisKeys.TRACING_MAX_QUEUE_SIZE))
      .setExportTimeout(config.get(ChassisKeys.TRACING_EXPORT_TIMEOUT));
  }

  private static CallerTraces callerTraces(SurgeConfig config) {
    return CallerTraces.of(config.get(ChassisKeys.TRACING_CALLER_TRACES));
  }

  /**
   * A Vert.x of its own, traced when {@code tracing} is given; clustered (joined, its event bus listening) when
   * {@code cluster.enabled}.
   */
  private static Future<Vertx> createVertx(SurgeConfig config, Metrics metrics, Tracing tracing) {
    VertxOptions options = new VertxOptions()
      .setEventLoopPoolSize(config.get(ChassisKeys.VERTX_EVENT_LOOPS))
      .setWorkerPoolSize(config.get(ChassisKeys.VERTX_WORKER_POOL_SIZE))
      .setMaxEventLoopExecuteTime(config.get(ChassisKeys.VERTX_MAX_EVENT_LOOP_EXECUTE_TIME).toMillis())
      .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setMaxWorkerExecuteTime(config.get(ChassisKeys.WORKER_MAX_EXECUTE_TIME).toMillis())
      .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setMetricsOptions(metrics.vertxOptions());
    ClusterOptions cluster = Clustering.enabled(config) ? Clustering.options(config) : null;
    if (cluster != null) {
      Clustering.eventBus(options, cluster);
    }
    String setting = config.get(ChassisKeys.VERTX_TRANSPORT);
    Transport transport;
    try {
      transport = NetworkTransport.choose(setting);
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    LOG.info("Network I/O: {}{}", transport.name(), transport == Transport.NIO && "auto".equals(setting)
      ? " (io_uring cannot run here: " + NetworkTransport.unavailability() + ")" : "");
    if (tracing != null) {
      options.setTracingOptions(new io.vertx.core.tracing.TracingOptions());
    }
    var builder = Vertx.builder().with(options).withTransport(transport);
    if (metrics.enabled()) {
      builder = builder.withMetrics(new MicrometerMetricsFactory(metrics.vertxRegistry()));
    }
    if (tracing != null) {
      builder = builder.withTracer(tracing.vertxTracer());
    }
    if (cluster == null) {
      return Future.succeededFuture(builder.build());
    }
    ClusterProvider provider = Clustering.provider();
    io.vertx.core.spi.cluster.ClusterManager manager = provider.manager(cluster);
    java.time.Instant certificateExpiry = Clustering.certificateExpiry(cluster);
    return builder.withClusterManager(manager).buildClustered()
      .compose(vertx -> Clustering.warmTls(vertx, options.getEventBusOptions()).map(vertx))
      .onSuccess(vertx -> {
        LOG.info("Joined cluster {} ({}, event bus port {}, {})", cluster.name(),
          Clustering.discovery(cluster), cluster.eventBusPort(), certificateExpiry == null ? "in the clear"
            : "mutual TLS, this member's certificate valid until " + certificateExpiry);
        if (certificateExpiry != null && certificateExpiry.isBefore(java.time.Instant.now().plus(CERTIFICATE_WARNING))) {
          LOG.warn("This member's event-bus certificate ({}) expires {}: renew it and restart the members before then, "
            + "or the others will refuse it", ChassisKeys.CLUSTER_TLS_CERT.name(), certificateExpiry);
        }
        if (certificateExpiry != null && metrics.enabled()) {
          io.micrometer.core.instrument.Gauge.builder("surge_cluster_tls_certificate_expiry_timestamp_seconds",
              () -> certificateExpiry.getEpochSecond())
            .description("When this member's event-bus certificate expires (Unix time): it is read at the start only, "
              + "so restart the members with a renewed one before then").register(metrics.registry());
        }
        provider.joined(manager, metrics.enabled() ? metrics.registry() : null);
      });
  }

  static ThreadingModel threadingModel(String name) {
    return switch (name) {
      case "worker" -> ThreadingModel.WORKER;
      case "virtual-thread" -> ThreadingModel.VIRTUAL_THREAD;
      default -> ThreadingModel.EVENT_LOOP;
    };
  }

}
