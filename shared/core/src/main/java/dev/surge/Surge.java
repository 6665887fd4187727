package dev.surge;

import dev.surge.admin.AdminServer;
import dev.surge.arbiter.Arbiter;
import dev.surge.arbiter.SupervisionOptions;
import dev.surge.cluster.ClusterProvider;
import dev.surge.cluster.Clustering;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.config.ConfigException;
import dev.surge.config.ConfigLoader;
import dev.surge.config.Secrets;
import dev.surge.config.SurgeConfig;
import dev.surge.health.Liveness;
import dev.surge.health.Readiness;
import dev.surge.http.HttpServerVerticle;
import dev.surge.jobs.JobKeys;
import dev.surge.jobs.JobQueue;
import dev.surge.lifecycle.Signals;
import dev.surge.logging.LogSetup;
import dev.surge.metrics.Metrics;
import dev.surge.metrics.EventLoopLag;
import dev.surge.net.FreePorts;
import dev.surge.pg.Postgres;
import dev.surge.redis.RedisCache;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.healthchecks.Status;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts a service: reads and validates the configuration, starts embedded PostgreSQL and Redis when none is
 * configured, builds Vert.x with metrics, migrates, and deploys the HTTP instances; on SIGTERM, drains.
 */
public final class Surge {

  private static final Logger LOG = LoggerFactory.getLogger(Surge.class);
  private static final String JOBS_MIGRATIONS = "db/surge-jobs";

  private Surge() {
  }

  /** The main method of every service. Exit codes: 0 stopped cleanly, 1 failed to start, 2 bad configuration. */
  public static void run(ServiceDefinition definition, String[] args) {
    runTogether(definition.name(), List.of(definition), args);
  }

  /**
   * The main method of the all-in-one process: several services in one JVM and one Vert.x, so they share a
   * local event bus, one embedded PostgreSQL and Redis, and one configuration (the union of their keys; what
   * nobody set takes each service's own default). Each serves on its own default port. SIGTERM drains them all,
   * the first started last.
   */
  public static void runTogether(String name, List<ServiceDefinition> definitions, String[] args) {
    runTogether(name, definitions, null, args);
  }

  /**
   * The same with a front (a gateway) started last: only it faces users, on {@code http.host} and
   * {@code http.port} as configured (its own default port otherwise); the services behind it serve on loopback
   * only, each on its default port.
   */
  public static void runTogether(String name, List<ServiceDefinition> behind, ServiceDefinition front,
                                 String[] args) {
    runTogether(name, behind, front, null, args);
  }

  /**
   * As {@link #runTogether(String, List, ServiceDefinition, String[])}, with PostgreSQL and Redis started inside
   * the process for {@code pg.url} and {@code redis.url} left unset (the standalone jar's way); without them
   * ({@code null}), a service that needs either and is not given its URL does not start, and says which to set.
   */
  public static void runTogether(String name, List<ServiceDefinition> behind, ServiceDefinition front,
                                 EmbeddedServers servers, String[] args) {
    List<ServiceDefinition> definitions = new ArrayList<>(behind);
    if (front != null) {
      definitions.add(front);
    }
    LaunchArgs launch = LaunchArgs.parse(name, args);
    SurgeConfig config = loadConfigOrExit(keysOf(definitions), launch.confFile());
    if (launch.printConfig()) {
      System.out.print(config.describe());
      System.exit(0);
    }
    LogSetup.apply(config.get(ChassisKeys.LOG_FORMAT), config.get(ChassisKeys.LOG_LEVEL),
      !"off".equals(config.get(ChassisKeys.LOG_ACCESS)));

    List<AutoCloseable> embedded = new ArrayList<>();
    List<RunningService> running = new ArrayList<>();
    try {
      config = startEmbedded(config, definitions.stream().anyMatch(ServiceDefinition::usesPostgres), servers,
        embedded);
      for (ServiceDefinition definition : definitions) {
        SurgeConfig own = config;
        if (definition == front) {
          own = config.withDefaultsOf(definition.configKeys())
            .with("all-in-one", Map.of(ChassisKeys.SERVICE_NAME.name(), definition.name()));
        } else if (definitions.size() > 1) {
          Map<String, Object> placement = new LinkedHashMap<>(Map.of(
            ChassisKeys.SERVICE_NAME.name(), definition.name(), ChassisKeys.HTTP_PORT.name(), defaultPort(definition)));
          if (front != null) {
            placement.put(ChassisKeys.HTTP_HOST.name(), "127.0.0.1");
          }
          own = config.withDefaultsOf(definition.configKeys()).with("all-in-one", placement);
        }
        RunningService service = awaitOnLauncherThread(running.isEmpty() ? start(definition, own)
          : startBeside(running.getFirst(), definition, own));
        running.add(service);
        LOG.info("{} serving on port {} ({} HTTP instances, {} model)", definition.name(), service.httpPort(),
          own.get(ChassisKeys.HTTP_INSTANCES), own.get(definition.threadingModelKey()));
      }
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      // The failure's own text may carry a URL or a token (a driver's message, a cause's): logged masked.
      Secrets secrets = Secrets.of(config);
      LOG.error("{} failed to start: {}\n{}", name, secrets.mask(cause.getMessage()), secrets.mask(cause));
      running.reversed().forEach(RunningService::close);
      closeAll(embedded);
      System.exit(1);
      return;
    }

    RunningService facing = running.getLast();
    String http = facing.name() + "." + Arbiter.HTTP;
    Arbiter arbiter = facing.arbiter();
    Signals.onInstanceSignals(
      () -> arbiter.add(http).onComplete(ar -> logInstances("SIGTTIN", http, ar)),
      () -> arbiter.remove(http).onComplete(ar -> logInstances("SIGTTOU", http, ar)),
      () -> arbiter.restart().onComplete(ar -> logInstances("SIGHUP (rolling restart)", "all verticles", ar)));
    Signals.onTerminate(
      () -> exitAfter(() -> running.reversed().forEach(service -> awaitOnLauncherThread(service.shutdown())), embedded),
      () -> {
        LOG.warn("Second signal: closing at once");
        exitAfter(() -> running.reversed().forEach(service -> service.close().toCompletionStage().toCompletableFuture()
          .orTimeout(5, TimeUnit.SECONDS).join()), embedded); // blocking: the signal's own shutdown thread
      });
  }

  private static void logInstances(String signal, String verticle, io.vertx.core.AsyncResult<List<dev.surge.arbiter.InstanceView>> ar) {
    if (ar.succeeded()) {
      LOG.info("{}: {} now has {} instances serving", signal, verticle, ar.result().stream()
        .filter(v -> "serving".equals(v.state())).count());
    } else {
      LOG.warn("{} for {} failed: {}", signal, verticle, ar.cause().toString());
    }
  }

  /** The configuration keys of several services: the first's, then each other's that it lacks. */
  private static List<ConfigKey<?>> keysOf(List<ServiceDefinition> definitions) {
    Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    definitions.forEach(d -> d.configKeys().forEach(k -> keys.putIfAbsent(k.name(), k)));
    return List.copyOf(keys.values());
  }

  private static int defaultPort(ServiceDefinition definition) {
    return definition.configKeys().stream().filter(k -> k.name().equals(ChassisKeys.HTTP_PORT.name()))
      .map(k -> (Integer) k.defaultValue()).findFirst().orElseThrow();
  }

  private static SurgeConfig loadConfigOrExit(List<ConfigKey<?>> keys, String confFile) {
    Vertx reader = Vertx.vertx();
    try {
      SurgeConfig config = awaitOnLauncherThread(ConfigLoader.load(reader, keys, confFile));
      AdminServer.validate(config);
      Clustering.validate(config);
      return config;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("surge: invalid configuration: " + Secrets.maskUrlPasswords(
        cause instanceof ConfigException ? cause.getMessage() : cause.toString()));
      System.exit(ConfigException.EXIT_CODE);
      throw e;
    } finally {
      reader.close();
    }
  }

  /** Runs the shutdown step, then stops the embedded servers and exits 0 whatever happened. */
  private static void exitAfter(Runnable shutdown, List<AutoCloseable> embedded) {
    try {
      shutdown.run();
    } catch (RuntimeException e) {
      LOG.warn("Shutdown did not finish cleanly: {}", e.getMessage());
    } finally {
      closeAll(embedded);
      System.exit(0);
    }
  }

  /** Blocking wait, only ever on the launcher's own threads (main, or a signal's shutdown thread), never on an event loop. */
  private static <T> T awaitOnLauncherThread(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join(); // blocking: launcher thread only
  }

  /**
   * Starts the service with an already resolved configuration; {@code pg.url} and {@code redis.url} must be set
   * (the launcher's embedded servers, or a test's). Blocking work runs on worker threads.
   */
  public static Future<RunningService> start(ServiceDefinition definition, SurgeConfig config) {
    if (missingUrls(definition, config)) {
      return Future.failedFuture(new IllegalStateException("pg.url and redis.url must be set"));
    }
    try {
      AdminServer.validate(config);
      Clustering.validate(config);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    Metrics metrics = Metrics.create(config.get(ChassisKeys.METRICS_ENABLED), config.get(ChassisKeys.SERVICE_NAME));
    return createVertx(config, metrics)
      .onSuccess(vertx -> {
        if (metrics.enabled()) {
          EventLoopLag.watch(vertx, metrics.registry());
        }
      })
      .compose(vertx -> {
        Arbiter arbiter = new Arbiter(vertx, metrics.registry(), config.get(ChassisKeys.WATCHDOG_FAIL_AFTER));
        return startOn(vertx, metrics, arbiter, true, Postgres.POOL_NAME, definition, config)
          .compose(service -> AdminServer.start(vertx, arbiter, config)
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
    if (missingUrls(definition, config)) {
      return Future.failedFuture(new IllegalStateException("pg.url and redis.url must be set"));
    }
    return startOn(host.vertx(), host.context().metrics(), host.arbiter(), false,
      Postgres.POOL_NAME + "-" + definition.name(), definition, config);
  }

  private static boolean missingUrls(ServiceDefinition definition, SurgeConfig config) {
    return definition.usesPostgres() && config.get(ChassisKeys.PG_URL) == null
      || config.get(ChassisKeys.REDIS_URL) == null;
  }

  private static Future<RunningService> startOn(Vertx vertx, Metrics metrics, Arbiter arbiter,
                                                boolean ownsVertx, String poolName, ServiceDefinition definition,
                                                SurgeConfig config) {
    String serviceName = config.get(ChassisKeys.SERVICE_NAME);
    arbiter.register(serviceName, config.toJson());
    int port = config.get(ChassisKeys.HTTP_PORT) == 0 ? FreePorts.pick() : config.get(ChassisKeys.HTTP_PORT);
    MeterRegistry registry = metrics.forService(serviceName, port, poolName);
    Pool pool = definition.usesPostgres() ? Postgres.createPool(vertx, config, poolName) : null;
    RedisCache redis = new RedisCache(vertx, config, registry);
    Readiness readiness = readiness(vertx, pool, redis);
    readiness.checks().register("blocked-threads", Readiness.DEFAULT_CHECK_TIMEOUT_MS,
      promise -> promise.complete(arbiter.blockedThreads().status()));
    Liveness liveness = new Liveness(arbiter.blockedThreads()::liveness);
    Map<String, WorkerExecutor> executors = new LinkedHashMap<>();
    config.get(ChassisKeys.WORKER_EXECUTORS).forEach((name, size) -> executors.put(name,
      vertx.createSharedWorkerExecutor(name, size, config.get(ChassisKeys.WORKER_MAX_EXECUTE_TIME).toMillis(),
        TimeUnit.MILLISECONDS)));
    ServiceContext context = new ServiceContext(vertx, config, pool, redis, metrics, registry, readiness, liveness,
      executors, ownsVertx);
    if (definition.jobs() != null) {
      JobQueue jobs = JobQueue.create(vertx, pool, Postgres.connectOptions(config.get(ChassisKeys.PG_URL)),
        registry, JobKeys.options(config, nodeName(config)));
      context.jobs(jobs);
      definition.jobs().register(context, jobs);
    }

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

    Future<?> jobTables = definition.jobs() == null ? Future.succeededFuture()
      : Postgres.migrate(vertx, config, JOBS_MIGRATIONS, "surge_jobs_schema_history");
    Future<?> migrated = jobTables.compose(v -> definition.migrations() == null ? Future.succeededFuture()
      : Postgres.migrate(vertx, config, definition.migrations(),
        definition.name() + "_schema_history"));
    Future<RunningService> started = migrated
      .compose(v -> definition.onStart().apply(context))
      .compose(v -> context.jobQueueOrNull() == null ? Future.succeededFuture() : context.jobs().start())
      .compose(v -> definition.eventBus() == null ? Future.<Void>succeededFuture()
        : arbiter.supervise(serviceName, Arbiter.CONSUMERS, consumerSupervision,
          hooks -> new ConsumerVerticle(definition.eventBus().apply(context), context)))
      .compose(v -> arbiter.supervise(serviceName, Arbiter.HTTP, supervision, HttpServerVerticle.factory(context,
        definition, port, () -> Duration.ofNanos(Math.max(0, graceDeadline.get() - System.nanoTime())))))
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

  /** The job queue's node name: the service, the host, and a suffix telling apart replicas on one host. */
  private static String nodeName(SurgeConfig config) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return config.get(ChassisKeys.SERVICE_NAME) + "@" + host + "-" + ProcessHandle.current().pid() + "-"
      + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }

  /** A Vert.x of its own; clustered (joined, its event bus listening) when {@code cluster.enabled}. */
  private static Future<Vertx> createVertx(SurgeConfig config, Metrics metrics) {
    VertxOptions options = new VertxOptions()
      .setEventLoopPoolSize(config.get(ChassisKeys.VERTX_EVENT_LOOPS))
      .setWorkerPoolSize(config.get(ChassisKeys.VERTX_WORKER_POOL_SIZE))
      .setMaxEventLoopExecuteTime(config.get(ChassisKeys.VERTX_MAX_EVENT_LOOP_EXECUTE_TIME).toMillis())
      .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setMaxWorkerExecuteTime(config.get(ChassisKeys.WORKER_MAX_EXECUTE_TIME).toMillis())
      .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setMetricsOptions(metrics.vertxOptions());
    if (Clustering.enabled(config)) {
      Clustering.eventBus(options, config);
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
    var builder = Vertx.builder().with(options).withTransport(transport);
    if (metrics.enabled()) {
      builder = builder.withMetrics(new MicrometerMetricsFactory(metrics.vertxRegistry()));
    }
    if (!Clustering.enabled(config)) {
      return Future.succeededFuture(builder.build());
    }
    ClusterProvider provider = Clustering.provider();
    io.vertx.core.spi.cluster.ClusterManager manager = provider.manager(config);
    return builder.withClusterManager(manager).buildClustered()
      .onSuccess(vertx -> {
        LOG.info("Joined cluster {} ({}, event bus port {})", config.get(ChassisKeys.CLUSTER_NAME),
          Clustering.discovery(config), config.get(ChassisKeys.CLUSTER_EVENT_BUS_PORT));
        provider.joined(manager, metrics.enabled() ? metrics.registry() : null);
      });
  }

  /** Readiness: PostgreSQL answers (for a service that has it), the Redis cache is up or degraded (never DOWN), and the process is not draining. */
  private static Readiness readiness(Vertx vertx, Pool pool, RedisCache redis) {
    Readiness readiness = new Readiness(vertx);
    if (pool != null) {
      readiness.register("postgres", () -> pool.query("SELECT 1").execute()
        .map(rows -> Status.OK())
        .otherwise(err -> Status.KO(new JsonObject().put("reason", String.valueOf(err.getMessage())))));
    }
    readiness.register("redis", redis::status);
    return readiness;
  }

  static ThreadingModel threadingModel(String name) {
    return switch (name) {
      case "worker" -> ThreadingModel.WORKER;
      case "virtual-thread" -> ThreadingModel.VIRTUAL_THREAD;
      default -> ThreadingModel.EVENT_LOOP;
    };
  }

  /**
   * Starts an embedded PostgreSQL (when one of the services uses it) or Redis for each of pg.url and redis.url
   * that is not configured, when the launcher was given {@code servers}; else an unset URL stops the start.
   */
  private static SurgeConfig startEmbedded(SurgeConfig config, boolean postgres, EmbeddedServers servers,
                                           List<AutoCloseable> started) {
    Map<String, Object> urls = new LinkedHashMap<>();
    if (!postgres) {
      LOG.info("No PostgreSQL: the service keeps no data of its own");
    } else if (config.get(ChassisKeys.PG_URL) == null) {
      Path dir = Path.of(config.get(ChassisKeys.EMBEDDED_DATA_DIR), "postgres").toAbsolutePath();
      requireEmbedded(servers, ChassisKeys.PG_URL, "PostgreSQL");
      LOG.info("pg.url not set: starting an embedded PostgreSQL with its data in {}", dir);
      EmbeddedServers.Server pg = servers.postgres(dir);
      started.add(pg.stops());
      urls.put(ChassisKeys.PG_URL.name(), pg.url());
      LOG.info("Using embedded PostgreSQL at {}", pg.url());
    } else {
      LOG.info("Using PostgreSQL at {}", ChassisKeys.PG_URL.print(config.get(ChassisKeys.PG_URL)));
    }
    if (config.get(ChassisKeys.REDIS_URL) == null) {
      requireEmbedded(servers, ChassisKeys.REDIS_URL, "Redis");
      EmbeddedServers.Server redis = servers.redis();
      started.add(redis.stops());
      urls.put(ChassisKeys.REDIS_URL.name(), redis.url());
      LOG.info("redis.url not set: using an embedded Redis at {} (cache only, nothing kept on disk)", redis.url());
    } else {
      LOG.info("Using Redis at {}", ChassisKeys.REDIS_URL.print(config.get(ChassisKeys.REDIS_URL)));
    }
    return urls.isEmpty() ? config : config.with("embedded", urls);
  }

  private static void requireEmbedded(EmbeddedServers servers, ConfigKey<?> url, String what) {
    if (servers == null) {
      throw new IllegalStateException(url.name() + " is not set: set it (" + url.envName() + "), or run "
        + "the standalone jar, the one that carries an embedded " + what);
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources.reversed()) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed: {}", r.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
