package dev.surge.testing;

import dev.surge.config.ConfigKey;
import dev.surge.pg.PgKeys;
import dev.surge.redis.RedisKeys;
import dev.surge.ServiceDefinition;
import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import dev.surge.embedded.EmbeddedPostgresServer;
import dev.surge.embedded.EmbeddedRedisServer;
import dev.surge.net.FreePorts;
import dev.surge.pg.Postgres;
import io.vertx.pgclient.PgConnectOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where tests find PostgreSQL and Redis: {@code SURGE_TEST_PG_URL} and {@code SURGE_TEST_REDIS_URL} when set,
 * else embedded servers started once per test JVM, so the tests pass on a machine with only a JDK.
 * Each test gets a database of its own and a cache namespace of its own, so test classes run in any order.
 */
public final class SurgeTestEnvironment {

  public static final String PG_URL_ENV = "SURGE_TEST_PG_URL";
  public static final String REDIS_URL_ENV = "SURGE_TEST_REDIS_URL";

  private static String basePgUrl;
  private static String redisUrl;

  private SurgeTestEnvironment() {
  }

  public static synchronized String basePgUrl() {
    if (basePgUrl == null) {
      String given = System.getenv(PG_URL_ENV);
      if (given != null && !given.isBlank()) {
        basePgUrl = given;
      } else {
        try {
          Path dir = Files.createTempDirectory("surge-test-pg");
          EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir);
          Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
          basePgUrl = pg.url();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
    return basePgUrl;
  }

  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      String given = System.getenv(REDIS_URL_ENV);
      if (given != null && !given.isBlank()) {
        redisUrl = given;
      } else {
        EmbeddedRedisServer redis = EmbeddedRedisServer.start(FreePorts.pick());
        Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
        redisUrl = redis.url();
      }
    }
    return redisUrl;
  }

  /** A new, empty database on the test PostgreSQL server; its URL. */
  public static String newDatabase() {
    String name = "surge_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    execute(basePgUrl(), "CREATE DATABASE " + name);
    return basePgUrl().replaceFirst("/[^/?]+(\\?.*)?$", "/" + name);
  }

  public static void dropDatabase(String url) {
    String name = Postgres.connectOptions(url).getDatabase();
    execute(basePgUrl(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** Runs one statement over JDBC, from the test thread. */
  public static void execute(String url, String sql) {
    try (Connection c = jdbc(url)) {
      c.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public static Connection jdbc(String url) throws SQLException {
    PgConnectOptions o = Postgres.connectOptions(url);
    return DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase(),
      o.getUser(), o.getPassword());
  }

  /**
   * The process id of a session of {@code url}'s database waiting for a lock while running a statement that starts
   * with {@code statementStart}, other than {@code otherThan} (one terminated, on its way out), once one is (up to
   * 5 s); 0 when none came.
   */
  public static int lockWaiter(String url, String statementStart, int otherThan) throws SQLException,
    InterruptedException {
    try (Connection c = jdbc(url); PreparedStatement waiting = c.prepareStatement(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> ? "
        + "AND starts_with(query, ?)")) {
      waiting.setInt(1, otherThan);
      waiting.setString(2, statementStart);
      for (int i = 0; i < 500; i++) {
        try (var rows = waiting.executeQuery()) {
          if (rows.next()) {
            return rows.getInt(1);
          }
        }
        Thread.sleep(10);
      }
    }
    return 0;
  }

  /**
   * The service's configuration for a test: its own database and cache namespace, a free port, two HTTP
   * instances, short grace, then the given overrides.
   */
  public static SurgeConfig config(ServiceDefinition definition, String pgUrl, Map<String, ?> overrides) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (pgUrl != null) {
      values.put(ChassisKeys.PG_URL.name(), pgUrl);
    }
    values.put(ChassisKeys.REDIS_URL.name(), redisUrl());
    values.put(ChassisKeys.HTTP_PORT.name(), 0);
    values.put(ChassisKeys.HTTP_INSTANCES.name(), 2);
    values.put(ChassisKeys.VERTX_EVENT_LOOPS.name(), 4);
    if (has(definition, PgKeys.POOL_SIZE)) {
      values.put(PgKeys.POOL_SIZE.name(), 4);
    }
    values.put(ChassisKeys.SHUTDOWN_GRACE.name(), "5s");
    values.put(ChassisKeys.LOG_ACCESS.name(), "off");
    if (has(definition, RedisKeys.CACHE_NAMESPACE)) {
      values.put(RedisKeys.CACHE_NAMESPACE.name(), "t" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }
    values.putAll(overrides);
    return SurgeConfig.of(definition.configKeys(), values);
  }

  /** Whether the service has the key: a component it is built with brings it. */
  private static boolean has(ServiceDefinition definition, ConfigKey<?> key) {
    return definition.configKeys().stream().anyMatch(k -> k.name().equals(key.name()));
  }
}
