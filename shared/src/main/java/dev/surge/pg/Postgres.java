package dev.surge.pg;

import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;

/** The process-wide PostgreSQL pool and the Flyway migrations a service runs at start. */
public final class Postgres {

  public static final String POOL_NAME = "surge-pg";
  private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

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

  /** One shared, named pool: every HTTP instance uses the same connections, and metrics label it by name. */
  public static Pool createPool(Vertx vertx, SurgeConfig config) {
    return createPool(vertx, config, POOL_NAME);
  }

  /** The same, under another name: each service sharing one Vert.x needs a pool of its own. */
  public static Pool createPool(Vertx vertx, SurgeConfig config, String name) {
    PoolOptions poolOptions = new PoolOptions()
      .setShared(true)
      .setName(name)
      .setMaxSize(config.get(ChassisKeys.PG_POOL_SIZE))
      .setMaxWaitQueueSize(config.get(ChassisKeys.PG_MAX_WAIT_QUEUE))
      .setConnectionTimeout((int) config.get(ChassisKeys.PG_CONNECTION_TIMEOUT).toMillis())
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
      .setEventLoopSize(config.get(ChassisKeys.VERTX_EVENT_LOOPS));
    PgConnectOptions connect = connectOptions(config.get(ChassisKeys.PG_URL));
    connect.setMetricsName(name);
    String planCacheMode = config.get(ChassisKeys.PG_PLAN_CACHE_MODE);
    if (!"auto".equals(planCacheMode)) {
      connect.addProperty("plan_cache_mode", planCacheMode);
    }
    return PgBuilder.pool()
      .with(poolOptions)
      .connectingTo(connect)
      .using(vertx)
      .build();
  }

  /**
   * Applies the migrations under {@code classpath:location} on a worker thread (Flyway speaks JDBC). Replicas
   * starting at the same moment take turns on a PostgreSQL advisory lock, so one migrates and the others find
   * the work done: Flyway's own locking does not cover baselining a schema that other services' tables share.
   */
  public static Future<MigrateResult> migrate(Vertx vertx, String url, String location, String historyTable) {
    PgConnectOptions o = connectOptions(url);
    String jdbcUrl = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    return vertx.executeBlocking(() -> {
      try (Connection lock = DriverManager.getConnection(jdbcUrl, o.getUser(), o.getPassword())) { // blocking: worker
        try (PreparedStatement take = lock.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
          take.setString(1, "surge.migrations." + historyTable);
          take.execute();
        }
        MigrateResult result = Flyway.configure()
          .dataSource(jdbcUrl, o.getUser(), o.getPassword())
          .locations("classpath:" + location)
          .table(historyTable)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
        LOG.info("Database migrations from {}: {} applied, schema at version {}", location,
          result.migrationsExecuted, result.targetSchemaVersion == null ? "(empty)" : result.targetSchemaVersion);
        return result;
      }
    }, false);
  }
}
