package dev.surge.pg;

import dev.surge.config.ConfigKey;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The configuration keys of a service built with PostgreSQL ({@link PostgresComponent}); {@code pg.url} is the core's. */
public final class PgKeys {

  private PgKeys() {
  }

  public static final ConfigKey<Integer> POOL_SIZE = ConfigKey.integer("pg.poolSize", PostgresOptions.DEFAULT_POOL_SIZE, 1, 1000,
    "Connections of the process-wide PostgreSQL pool");
  public static final ConfigKey<Integer> PIPELINED_CONNECTIONS = ConfigKey.integer("pg.pipelinedConnections",
    PostgresOptions.DEFAULT_PIPELINED_CONNECTIONS, 1, 64,
    "Connections of the pipelined client that reads share, several in flight on one (writes and transactions use "
      + "the pool)");
  public static final ConfigKey<Boolean> PIPELINED_PER_EVENT_LOOP = ConfigKey.bool("pg.pipelinedPerEventLoop",
    PostgresOptions.DEFAULT_PIPELINED_PER_EVENT_LOOP,
    "Reads of the pipelined client issued on an event loop go to a connection of that loop's own (one per loop, up "
      + "to 256 in flight on it), not through the pool of pg.pipelinedConnections, which takes the others: those of "
      + "worker and virtual threads, past the 256, and a loop's while it connects again");
  public static final ConfigKey<Integer> MAX_WAIT_QUEUE = ConfigKey.integer("pg.maxWaitQueue",
    PostgresOptions.DEFAULT_MAX_WAIT_QUEUE, 0, 1_000_000,
    "Statements waiting for a connection before they fail fast");
  public static final ConfigKey<Duration> CONNECTION_TIMEOUT = ConfigKey.duration("pg.connectionTimeout",
    PostgresOptions.DEFAULT_CONNECTION_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(5), "Longest wait for a pooled connection");
  public static final ConfigKey<Duration> MIGRATION_LOCK_TIMEOUT = ConfigKey.duration("pg.migrationLockTimeout",
    PostgresOptions.DEFAULT_MIGRATION_LOCK_TIMEOUT, Duration.ofMillis(100), Duration.ofHours(1),
    "At start, longest wait for another replica migrating the same database; past it the start fails");
  private static final List<String> PLAN_CACHE_MODES = List.of(PostgresOptions.PLAN_CACHE_MODE_CUSTOM,
    PostgresOptions.PLAN_CACHE_MODE_AUTO, PostgresOptions.PLAN_CACHE_MODE_GENERIC);
  public static final ConfigKey<String> PLAN_CACHE_MODE = ConfigKey.oneOf("pg.planCacheMode", PostgresOptions.DEFAULT_PLAN_CACHE_MODE,
    PLAN_CACHE_MODES,
    "PostgreSQL's plan_cache_mode for the pool: force_custom_plan plans each statement for its values and the "
      + "tables as they are now; auto may keep a generic plan made while a table was small, such as a full scan");
  public static final ConfigKey<String> PIPELINED_PLAN_CACHE_MODE = ConfigKey.oneOf("pg.pipelinedPlanCacheMode",
    PostgresOptions.DEFAULT_PIPELINED_PLAN_CACHE_MODE,
    Stream.concat(PLAN_CACHE_MODES.stream(), Stream.of(PostgresOptions.PLAN_CACHE_MODE_AUTO_WITH_AUTOVACUUM)).toList(),
    "PostgreSQL's plan_cache_mode for the pipelined client's reads, as pg.planCacheMode; auto-with-autovacuum: auto "
      + "where the server runs autovacuum (which replaces a plan made while a table was small), else force_custom_plan");

  public static List<ConfigKey<?>> all() {
    return List.of(POOL_SIZE, PIPELINED_CONNECTIONS, PIPELINED_PER_EVENT_LOOP, MAX_WAIT_QUEUE, CONNECTION_TIMEOUT, MIGRATION_LOCK_TIMEOUT, PLAN_CACHE_MODE,
      PIPELINED_PLAN_CACHE_MODE);
  }
}
