package dev.surge.pg;

import dev.surge.Component;
import dev.surge.ComponentContext;
import dev.surge.DevServer;
import dev.surge.ServiceContext;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import dev.surge.http.Failures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * PostgreSQL for a service: one pool shared by its instances ({@code pg.*}) and a pipelined client beside it for
 * single statements, a readiness check, PostgreSQL's words
 * for "unavailable" taught to the failure handler (a 503, not a 500), and the service's Flyway migrations, run as
 * it starts (one replica at a time).
 *
 * <pre>{@code
 * ServiceDefinition.builder("catalog").use(PostgresComponent.migrations("db/catalog"))
 * ...
 * Pool pool = PostgresComponent.pool(context);
 * }</pre>
 */
public final class PostgresComponent implements Component {

  /** The pool's name, which its meters carry ({@code pool_name}); a service beside another adds its name. */
  public static final String POOL_NAME = Postgres.POOL_NAME;
  /** The pipelined client's name, which its meters carry. */
  public static final String CLIENT_NAME = POOL_NAME + "-pipelined";
  /** PostgreSQL's connection exceptions, insufficient resources, and admin, crash and not-yet shutdowns. */
  private static final Pattern UNAVAILABLE_SQL_STATES = Pattern.compile("08...|53...|57P0[0-9]");
  private static final Predicate<Throwable> UNAVAILABLE = t -> t instanceof ClosedConnectionException
    || t instanceof PgException pg && pg.getSqlState() != null && UNAVAILABLE_SQL_STATES.matcher(pg.getSqlState()).matches();

  private static final Logger LOG = LoggerFactory.getLogger(PostgresComponent.class);

  private final String migrations;
  private final boolean genericPlansForReads;
  /**
   * Whether each server (by {@code pg.url}) runs autovacuum, as the preparation read it; not known (a service
   * without migrations): the pipelined client plans each read.
   */
  private final Map<String, Boolean> autovacuum = new ConcurrentHashMap<>();

  private PostgresComponent(String migrations, boolean genericPlansForReads) {
    this.migrations = migrations;
    this.genericPlansForReads = genericPlansForReads;
  }

  /** A pool, for a service whose tables another service migrates (or that has none). */
  public static PostgresComponent create() {
    return new PostgresComponent(null, false);
  }

  /** A pool, and the Flyway migrations at {@code classpathLocation} run as the service starts ({@link #preparation}). */
  public static PostgresComponent migrations(String classpathLocation) {
    return new PostgresComponent(java.util.Objects.requireNonNull(classpathLocation), false);
  }

  /**
   * The same, for a service whose reads on the {@link #client} all look rows up by key, so that their plans do not
   * depend on the values: the client keeps PostgreSQL's generic plans where the server runs autovacuum
   * ({@code pg.pipelinedPlanCacheMode} defaults to auto-with-autovacuum), rather than planning each read.
   */
  public PostgresComponent genericPlansForReads() {
    return new PostgresComponent(migrations, true);
  }

  /**
   * The pool of a service built with this component: for transactions, and for a connection held across
   * statements.
   */
  public static Pool pool(ServiceContext context) {
    return context.component(Started.class).pool();
  }

  /**
   * The pipelined client of a service built with this component, for reads: the statements in flight together
   * share its connections ({@code pg.pipelinedConnections}), sent in one write and answered in one read, rather than taking a
   * pooled connection each (measured in docs/BENCHMARKS.md: TechEmpower's /db twice as fast). Writes go through the
   * {@link #pool}: each waits for its commit to reach the disk, and the statements pipelined behind it on the
   * connection would wait with it (measured: a flash sale placed fewer orders a second on the client).
   */
  public static SqlClient client(ServiceContext context) {
    return context.component(Started.class).client();
  }

  /** The one place the pool's and the migrations' keys are read. */
  public static PostgresOptions options(SurgeConfig config) {
    return new PostgresOptions().setUrl(config.get(ChassisKeys.PG_URL)).setPoolSize(config.get(PgKeys.POOL_SIZE))
      .setPipelinedConnections(config.get(PgKeys.PIPELINED_CONNECTIONS))
      .setPipelinedPerEventLoop(config.get(PgKeys.PIPELINED_PER_EVENT_LOOP))
      .setMaxWaitQueue(config.get(PgKeys.MAX_WAIT_QUEUE))
      .setConnectionTimeout(config.get(PgKeys.CONNECTION_TIMEOUT))
      .setMigrationLockTimeout(config.get(PgKeys.MIGRATION_LOCK_TIMEOUT))
      .setPlanCacheMode(config.get(PgKeys.PLAN_CACHE_MODE))
      .setPipelinedPlanCacheMode(config.get(PgKeys.PIPELINED_PLAN_CACHE_MODE))
      .setEventLoops(config.get(ChassisKeys.VERTX_EVENT_LOOPS));
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    if (!genericPlansForReads) {
      return PgKeys.all();
    }
    return PgKeys.all().stream().map(key -> key == PgKeys.PIPELINED_PLAN_CACHE_MODE
      ? PgKeys.PIPELINED_PLAN_CACHE_MODE.withDefault(PostgresOptions.PLAN_CACHE_MODE_AUTO_WITH_AUTOVACUUM) : key)
      .collect(Collectors.toList());
  }

  @Override
  public DevServer devServer() {
    return DevServer.POSTGRES;
  }

  /**
   * The migrations, when it has any: run as the service starts, beside the building of its Vert.x; then, where
   * the pipelined client keeps generic plans only with autovacuum, whether the server runs it (a failure to tell is
   * a no, not a failed start).
   */
  @Override
  public Callable<?> preparation(String definedName, SurgeConfig config) {
    return migrations == null ? null : () -> {
      PostgresOptions options = options(config);
      Postgres.migrate(options, migrations, definedName + "_schema_history");
      if (PostgresOptions.PLAN_CACHE_MODE_AUTO_WITH_AUTOVACUUM.equals(options.getPipelinedPlanCacheMode())) {
        try {
          autovacuum.put(options.getUrl(), Postgres.autovacuum(options));
        } catch (SQLException e) {
          LOG.warn("Could not read whether PostgreSQL runs autovacuum ({}): the pipelined client plans each read",
            e.getSQLState());
          autovacuum.put(options.getUrl(), false);
        }
      }
      return null;
    };
  }

  @Override
  public Future<Started> start(ComponentContext context) {
    Failures.unavailableWhen(UNAVAILABLE);
    PostgresOptions options = options(context.config());
    if (PostgresOptions.PLAN_CACHE_MODE_AUTO_WITH_AUTOVACUUM.equals(options.getPipelinedPlanCacheMode())) {
      Boolean analyzed = autovacuum.get(options.getUrl());
      boolean generic = Boolean.TRUE.equals(analyzed);
      if (!generic) {
        LOG.info("{} is {}, but the server {}: the pipelined client plans each read",
          PgKeys.PIPELINED_PLAN_CACHE_MODE.name(), PostgresOptions.PLAN_CACHE_MODE_AUTO_WITH_AUTOVACUUM,
          analyzed == null ? "was not asked (a service without migrations)" : "runs without autovacuum");
      }
      options.setPipelinedPlanCacheMode(generic ? PostgresOptions.PLAN_CACHE_MODE_AUTO
        : PostgresOptions.PLAN_CACHE_MODE_CUSTOM);
    }
    Pool pool = Postgres.createPool(context.vertx(), options, context.poolName(POOL_NAME));
    SqlClient client = Postgres.createClient(context.vertx(), options, context.poolName(CLIENT_NAME));
    Started started = new Started(pool, client, options);
    context.readiness().register("postgres", () -> pool.query("SELECT 1").execute()
      .map(rows -> Status.OK())
      .otherwise(err -> Status.KO(new JsonObject().put("reason", String.valueOf(err.getMessage())))));
    return Future.succeededFuture(started);
  }

  /** The started component: the pool, and the options it was made with. */
  public static final class Started implements Component.Running {

    private final Pool pool;
    private final SqlClient client;
    private final PostgresOptions options;

    private Started(Pool pool, SqlClient client, PostgresOptions options) {
      this.pool = pool;
      this.client = client;
      this.options = options;
    }

    public Pool pool() {
      return pool;
    }

    public SqlClient client() {
      return client;
    }

    public PostgresOptions options() {
      return options;
    }

    @Override
    public Future<Void> close() {
      return Future.join(client.close(), pool.close()).mapEmpty();
    }
  }
}
