package dev.surge;

import dev.surge.admin.AdminServer;
import dev.surge.arbiter.Arbiter;
import dev.surge.cluster.Clustering;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.config.ConfigException;
import dev.surge.config.ConfigLoader;
import dev.surge.config.Secrets;
import dev.surge.config.SurgeConfig;
import dev.surge.lifecycle.Signals;
import dev.surge.logging.LogSetup;
import dev.surge.tracing.CallerTraces;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The process around one or more services: reads the arguments and the configuration (exit code 2 when it is
 * bad), starts embedded PostgreSQL and Redis when given them and no URL is set, starts the services through
 * {@link Surge} (exit code 1 when one fails), and turns signals into draining, scaling and rolling restarts. Only
 * main methods call it; tests and embedders call {@link Surge#start}, which only returns futures.
 */
public final class Launcher {

  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {
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
      !"off".equals(config.get(ChassisKeys.LOG_ACCESS)), config.get(ChassisKeys.TRACING_ENABLED));

    List<AutoCloseable> embedded = new ArrayList<>();
    List<RunningService> running = new ArrayList<>();
    try {
      config = startEmbedded(config, definitions.stream().anyMatch(d -> d.uses(DevServer.POSTGRES)),
        definitions.stream().anyMatch(d -> d.uses(DevServer.REDIS)), servers, embedded);
      for (ServiceDefinition definition : definitions) {
        SurgeConfig own = config;
        if (definition == front) {
          own = config.withDefaultsOf(definition.configKeys())
            .with("all-in-one", Map.of(ChassisKeys.SERVICE_NAME.name(), definition.name()));
        } else if (definitions.size() > 1) {
          own = config.withDefaultsOf(definition.configKeys())
            .with("all-in-one", placement(name, definition, front != null,
              running.isEmpty() && config.get(ChassisKeys.TRACING_SERVICE_NAME) == null));
        }
        RunningService service = awaitOnLauncherThread(running.isEmpty() ? Surge.start(definition, own)
          : Surge.startBeside(running.getFirst(), definition, own));
        running.add(service);
        LOG.info("{} serving on port {} ({} HTTP instances, {} model)", definition.name(), service.httpPort(),
          own.get(ChassisKeys.HTTP_INSTANCES), own.get(definition.threadingModelKey()));
      }
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      // The failure's own text may carry a URL or a token (a driver's message, a cause's): logged masked.
      Secrets secrets = Secrets.of(config);
      LOG.error("{} failed to start: {}\n{}", name, secrets.mask(why(cause)), secrets.mask(cause));
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

  /**
   * The failure's message and, after it, each cause's kind and message: the first line says why even where a log
   * shipper or a terminal cuts the stack trace (CI's compose output kept 400 characters of a catalog's "The
   * connection attempt failed.", whose cause, the one line that said why, was the stack's last).
   */
  static String why(Throwable failure) {
    List<Throwable> causes = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
      causes.add(cause);
    }
    StringBuilder why = new StringBuilder(failure.getMessage() != null ? failure.getMessage()
      : failure.getClass().getSimpleName());
    for (int i = 1; i < causes.size(); i++) {
      if (i == 4 && causes.size() > 5) { // the first three and the root: the root is most often the why
        why.append(" (...)");
        i = causes.size() - 1;
      }
      Throwable cause = causes.get(i);
      String wrapping = causes.get(i - 1).getMessage(); // new RuntimeException(cause) says the cause already
      why.append(" (").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null && !cause.getMessage().equals(wrapping)
        && (wrapping == null || !wrapping.contains(cause.toString()))) {
        why.append(": ").append(cause.getMessage());
      }
      why.append(')');
    }
    return why.toString().replaceAll("\\s*\\R\\s*", " "); // one line: a driver's message may hold several
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
  /**
   * What the all-in-one sets for a service over the process's configuration, which every service of it reads: its
   * name and own port; behind a front, loopback only, and its HTTP callers' traces followed ({@code
   * tracing.callerTraces}, set for the process, is the front's alone: a service behind the front that decided or
   * linked again would keep each trace in pieces); and, with {@code namesTracing} (the host, the first service,
   * whose tracing the process shares, when no name is set), the tracing named after the process.
   */
  public static Map<String, Object> placement(String processName, ServiceDefinition definition, boolean fronted,
                                              boolean namesTracing) {
    Map<String, Object> placement = new LinkedHashMap<>(Map.of(
      ChassisKeys.SERVICE_NAME.name(), definition.name(), ChassisKeys.HTTP_PORT.name(), defaultPort(definition)));
    if (fronted) {
      placement.put(ChassisKeys.HTTP_HOST.name(), "127.0.0.1");
      placement.put(ChassisKeys.TRACING_CALLER_TRACES.name(), CallerTraces.FOLLOW.configName());
    }
    if (namesTracing) {
      placement.put(ChassisKeys.TRACING_SERVICE_NAME.name(), processName);
    }
    return placement;
  }

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
   * Starts an embedded PostgreSQL or Redis (each when one of the services uses it) for each of pg.url and
   * redis.url that is not configured, when the launcher was given {@code servers}; else an unset URL stops the start.
   */
  private static SurgeConfig startEmbedded(SurgeConfig config, boolean postgres, boolean redisUsed,
                                           EmbeddedServers servers, List<AutoCloseable> started) {
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
    if (!redisUsed) {
      LOG.info("No Redis: the service caches nothing there");
    } else if (config.get(ChassisKeys.REDIS_URL) == null) {
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
