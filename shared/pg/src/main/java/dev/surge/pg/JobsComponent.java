package dev.surge.pg;

import dev.surge.Component;
import dev.surge.ComponentContext;
import dev.surge.DevServer;
import dev.surge.ServiceContext;
import dev.surge.arbiter.ServiceOfContext;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import dev.surge.jobs.JobQueue;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Makes a service a node of the durable job queue ({@code dev.surge.jobs}, in its PostgreSQL): creates the queue's
 * table and adds the {@code jobs.*} keys as the service starts; once its {@code onStart} is done, calls the
 * {@link JobSetup} to register handlers and runs the queues of {@code jobs.queues}; on shutdown finishes or hands
 * back the jobs running. Named after {@link PostgresComponent}, whose pool it uses.
 *
 * <pre>{@code
 * .use(PostgresComponent.migrations("db/orders")).use(JobsComponent.of(OrderJobs::register))
 * ...
 * JobsComponent.queue(context).enqueue(...)
 * }</pre>
 */
public final class JobsComponent implements Component {

  private static final String MIGRATIONS = "db/surge-jobs";

  private final JobSetup setup;

  private JobsComponent(JobSetup setup) {
    this.setup = setup;
  }

  public static JobsComponent of(JobSetup setup) {
    return new JobsComponent(Objects.requireNonNull(setup));
  }

  /** The job queue of a service built with this component. */
  public static JobQueue queue(ServiceContext context) {
    return context.component(Started.class).queue();
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return JobKeys.all();
  }

  @Override
  public DevServer devServer() {
    return DevServer.POSTGRES;
  }

  /** The job queue's migrations, run as the service starts, after the service's own (components go in order). */
  @Override
  public Callable<?> preparation(String definedName, SurgeConfig config) {
    if (!config.keys().contains(PgKeys.POOL_SIZE)) {
      return null; // built without PostgresComponent: start() says what to name
    }
    return () -> Postgres.migrate(PostgresComponent.options(config), MIGRATIONS, "surge_jobs_schema_history");
  }

  @Override
  public Future<Started> start(ComponentContext context) {
    PostgresComponent.Started pg;
    try {
      pg = context.component(PostgresComponent.Started.class);
    } catch (IllegalStateException e) {
      return Future.failedFuture(new IllegalStateException("the job queue keeps its jobs in PostgreSQL: name "
        + "PostgresComponent before JobsComponent in the service's definition"));
    }
    SurgeConfig config = context.config();
    JobQueue queue = JobQueue.create(context.vertx(), pg.pool(), Postgres.connectOptions(config.get(ChassisKeys.PG_URL)),
      context.registry(), JobKeys.options(config, nodeName(config)).setOpenTelemetry(context.openTelemetry())
        .setDeploymentConfig(ServiceOfContext.naming(config.get(ChassisKeys.SERVICE_NAME), null)));
    return Future.succeededFuture(new Started(queue, () -> setup.register(context, queue)));
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

  /** The started component: the service's job queue. */
  public static final class Started implements Component.Running {

    private final JobQueue queue;
    private final Runnable registerHandlers;

    private Started(JobQueue queue, Runnable registerHandlers) {
      this.queue = queue;
      this.registerHandlers = registerHandlers;
    }

    public JobQueue queue() {
      return queue;
    }

    /**
     * Registers the handlers, now that the context finds the queue (a handler's constructor may ask for it), then
     * runs the node's queues.
     */
    @Override
    public Future<Void> run() {
      try {
        registerHandlers.run();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      return queue.start();
    }

    @Override
    public Future<Void> drain(Duration grace) {
      return queue.stop(grace);
    }
  }
}
