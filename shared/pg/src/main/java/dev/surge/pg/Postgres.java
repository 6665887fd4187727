package dev.surge.pg;

import dev.surge.pg.impl.LoopLocalClient;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** The process-wide PostgreSQL pool and the Flyway migrations a service runs at start. */
public final class Postgres {

  public static final String POOL_NAME = "surge-pg";
  private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);
  /** PostgreSQL's lock_not_available: lock_timeout passed. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private Postgres() {
  }

  public static PgConnectOptions connectOptions(String url) {
    PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"));
    options.setMetricsName(POOL_NAME);
    return options
      .setCachePreparedStatements(true)
      .setPreparedStatementCacheMaxSize(512)
      .setReconnectAttempts(2)
      .setReconnectInterval(500);
  }

  /**
   * Whether PostgreSQL itself refused the statement or transaction (a constraint, a serialization failure, a
   * statement error): then it rolled back for sure. An error of the connection or of the server going away (SQLSTATE
   * classes 08, 57, 53, 58, XX, and 40003, statement completion unknown), or anything but PostgreSQL's own answer,
   * leaves its commit in doubt.
   */
  public static boolean rolledBack(Throwable failure) {
    if (!(failure instanceof PgException pg) || pg.getSqlState() == null) {
      return false;
    }
    String sqlClass = pg.getSqlState().length() < 2 ? "" : pg.getSqlState().substring(0, 2);
    return !List.of("08", "57", "53", "58", "XX").contains(sqlClass)
      && !"40003".equals(pg.getSqlState()); // statement_completion_unknown
  }

  /**
   * One shared, named pool: every HTTP instance uses the same connections, and metrics label it by name (each
   * service sharing one Vert.x needs a pool of its own name).
   */
  public static Pool createPool(Vertx vertx, PostgresOptions options, String name) {
    PoolOptions pool = poolOptions(options, name, options.getPoolSize());
    if (options.getEventLoops() > 0) {
      pool.setEventLoopSize(options.getEventLoops());
    }
    return PgBuilder.pool().with(pool).connectingTo(connectOptions(options, name, options.getPlanCacheMode()))
      .using(vertx).build();
  }

  /**
   * A pipelined client beside the pool, with connections of its own: single statements outside a transaction; the
   * statements in flight at once share a connection (sent in one write, answered in one read) instead of taking one
   * each, which is what PostgreSQL's extended protocol allows and what the fastest Vert.x code does.
   * Its connections: {@code pipelinedConnections}, spread over the event loops; with {@code pipelinedPerEventLoop},
   * a statement issued on an event loop goes to a connection of that loop's own instead ({@link LoopLocalClient}).
   */
  public static SqlClient createClient(Vertx vertx, PostgresOptions options, String name) {
    PoolOptions pool = poolOptions(options, name, options.getPipelinedConnections());
    if (options.getEventLoops() > 0) {
      pool.setEventLoopSize(options.getEventLoops());
    }
    PgConnectOptions connect = connectOptions(options, name, options.getPipelinedPlanCacheMode());
    return options.isPipelinedPerEventLoop() ? LoopLocalClient.create(vertx, pool, connect)
      : PgBuilder.client().with(pool).connectingTo(connect).using(vertx).build();
  }

  private static PoolOptions poolOptions(PostgresOptions options, String name, int maxSize) {
    return new PoolOptions()
      .setShared(true)
      .setName(name)
      .setMaxSize(maxSize)
      .setMaxWaitQueueSize(options.getMaxWaitQueue())
      .setConnectionTimeout((int) options.getConnectionTimeout().toMillis())
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private static PgConnectOptions connectOptions(PostgresOptions options, String name, String planCacheMode) {
    PgConnectOptions connect = connectOptions(Objects.requireNonNull(options.getUrl(), "the PostgreSQL URL"));
    connect.setMetricsName(name);
    if (!PostgresOptions.PLAN_CACHE_MODE_AUTO.equals(planCacheMode)) {
      connect.addProperty("plan_cache_mode", planCacheMode);
    }
    return connect;
  }

  /**
   * Applies the migrations under {@code classpath:location}, blocking the calling thread until they are (Flyway
   * speaks JDBC): never call it on an event loop. The runtime runs it on a thread of its own as a service starts
   * ({@link dev.surge.Component#preparation}), while it builds the service's Vert.x. Connects as the pool does
   * ({@link #jdbcDataSource}). Replicas starting at the same moment take turns on a PostgreSQL
   * advisory lock, so one migrates and the others find the work done: Flyway's own locking does not cover
   * baselining a schema that other services' tables share. The wait for that lock, and Flyway's for its own, is
   * bounded by {@code pg.migrationLockTimeout}: past it the start fails, naming the key.
   */
  public static MigrateResult migrate(PostgresOptions options, String location, String historyTable)
    throws SQLException {
    PGSimpleDataSource dataSource = jdbcDataSource(options);
    Duration lockTimeout = options.getMigrationLockTimeout();
    try (Connection lock = dataSource.getConnection()) { // blocking: the runtime's preparation thread
      try (Statement bound = lock.createStatement()) {
        bound.execute("SET lock_timeout = " + lockTimeout.toMillis());
      }
      try (PreparedStatement take = lock.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
        take.setString(1, "surge.migrations." + historyTable);
        take.execute();
      } catch (SQLException e) {
        if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
          throw new IllegalStateException("Migrations of " + historyTable + " waited " + lockTimeout.toMillis() + " ms"
            + " (pg.migrationLockTimeout) for another process migrating the same database to finish; it holds the "
            + "migration lock still (a long migration, or a hung process)", e);
        }
        throw e;
      }
      try (Statement unbound = lock.createStatement()) {
        unbound.execute("SET lock_timeout = 0");
      }
      MigrateResult result = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:" + location)
        .table(historyTable)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .lockRetryCount((int) Math.max(1, lockTimeout.toSeconds())) // Flyway retries its own lock once a second
        .load()
        .migrate();
      LOG.info("Database migrations from {}: {} applied, schema at version {}", location,
        result.migrationsExecuted, result.targetSchemaVersion == null ? "(empty)" : result.targetSchemaVersion);
      return result;
    }
  }

  /**
   * Whether the server runs autovacuum (and the statistics it needs), whose ANALYZE replaces the generic plans
   * PostgreSQL cached for a table as it grows; false for a server that has no such settings. Blocking (JDBC): the
   * runtime's preparation thread only. Bounded by {@code connectionTimeout} at every step.
   */
  public static boolean autovacuum(PostgresOptions options) throws SQLException {
    PGSimpleDataSource dataSource = jdbcDataSource(options);
    dataSource.setLoginTimeout(dataSource.getConnectTimeout());
    dataSource.setSocketTimeout(dataSource.getConnectTimeout());
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
         ResultSet settings = statement.executeQuery("SELECT current_setting('autovacuum', true) = 'on' "
           + "AND current_setting('track_counts', true) = 'on'")) {
      return settings.next() && settings.getBoolean(1);
    }
  }

  /** {@link #jdbcDataSource(PgConnectOptions)} for {@code pg.url}, its connect bounded by {@code pg.connectionTimeout}. */
  private static PGSimpleDataSource jdbcDataSource(PostgresOptions options) {
    PGSimpleDataSource dataSource = jdbcDataSource(connectOptions(Objects.requireNonNull(options.getUrl(),
      "the PostgreSQL URL")));
    dataSource.setConnectTimeout((int) Math.max(1, options.getConnectionTimeout().toSeconds()));
    return dataSource;
  }

  /**
   * A JDBC data source that connects as the pool does: the same server, database, user and password, the same
   * SSL mode (PostgreSQL's JDBC driver would otherwise prefer SSL where the pool has none, or go without it where
   * the pool requires it), the same application name, and every other server setting of {@code pg.url} (such
   * as {@code options=-c search_path=...}) as {@code -c} options.
   */
  public static PGSimpleDataSource jdbcDataSource(PgConnectOptions o) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[]{o.getHost()});
    ds.setPortNumbers(new int[]{o.getPort()});
    ds.setDatabaseName(o.getDatabase());
    ds.setUser(o.getUser());
    ds.setPassword(o.getPassword());
    ds.setSslMode(o.getSslMode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    StringBuilder options = new StringBuilder();
    o.getProperties().forEach((name, value) -> {
      switch (name) {
        case "application_name" -> ds.setApplicationName(value);
        case "options" -> options.append(' ').append(value);
        // The pool's defaults for its own protocol; the JDBC driver sets these as it needs them.
        case "client_encoding", "DateStyle", "intervalStyle", "extra_float_digits" -> { }
        // In PostgreSQL's options a backslash escapes the next character, such as a space inside a value.
        default -> options.append(" -c ").append(name).append('=')
          .append(value.replace("\\", "\\\\").replace(" ", "\\ "));
      }
    });
    if (!options.isEmpty()) {
      ds.setOptions(options.toString().trim());
    }
    return ds;
  }
}
