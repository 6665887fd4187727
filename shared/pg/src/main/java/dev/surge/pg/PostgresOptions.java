package dev.surge.pg;

import java.time.Duration;
import java.util.Objects;

/** How {@link Postgres} pools connections and migrates: the {@code pg.*} keys. */
public final class PostgresOptions {

  public static final int DEFAULT_POOL_SIZE = 8;
  /**
   * Connections of the pipelined client. Each is one PostgreSQL backend, which runs its statements one after the
   * other: with four, a slow read holds up a quarter of the reads in flight, not half of them (one per event loop
   * on two cores measured no faster, docs/BENCHMARKS.md).
   */
  public static final int DEFAULT_PIPELINED_CONNECTIONS = 4;
  /**
   * Reads issued on an event loop go to a pipelined connection of that loop's own, rather than through the
   * pipelined pool's lease per statement (docs/BENCHMARKS.md: TechEmpower's /queries 1.42x).
   */
  public static final boolean DEFAULT_PIPELINED_PER_EVENT_LOOP = true;
  public static final int DEFAULT_MAX_WAIT_QUEUE = 1024;
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MIGRATION_LOCK_TIMEOUT = Duration.ofMinutes(5);
  /** PostgreSQL's own plan_cache_mode left as the server has it. */
  public static final String PLAN_CACHE_MODE_AUTO = "auto";
  public static final String PLAN_CACHE_MODE_CUSTOM = "force_custom_plan";
  public static final String PLAN_CACHE_MODE_GENERIC = "force_generic_plan";
  public static final String DEFAULT_PLAN_CACHE_MODE = PLAN_CACHE_MODE_CUSTOM;
  /**
   * PostgreSQL's auto where the server runs autovacuum, whose ANALYZE replaces a generic plan made while a table was
   * small (a full scan) as it grows; elsewhere force_custom_plan, as such a plan would stay for good.
   */
  public static final String PLAN_CACHE_MODE_AUTO_WITH_AUTOVACUUM = "auto-with-autovacuum";
  /**
   * The pipelined client plans each read, as the pool does: a generic plan suits a read whose plan does not depend
   * on its values (by key), not one such as "this customer's orders, or everyone's". A service whose reads on the
   * client are all by key says so ({@link PostgresComponent#genericPlansForReads()}): planning each cost /db a
   * fifth of its rate and /queries two fifths (docs/BENCHMARKS.md).
   */
  public static final String DEFAULT_PIPELINED_PLAN_CACHE_MODE = PLAN_CACHE_MODE_CUSTOM;

  private String url;
  private int poolSize = DEFAULT_POOL_SIZE;
  private int pipelinedConnections = DEFAULT_PIPELINED_CONNECTIONS;
  private boolean pipelinedPerEventLoop = DEFAULT_PIPELINED_PER_EVENT_LOOP;
  private int maxWaitQueue = DEFAULT_MAX_WAIT_QUEUE;
  private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
  private Duration migrationLockTimeout = DEFAULT_MIGRATION_LOCK_TIMEOUT;
  private String planCacheMode = DEFAULT_PLAN_CACHE_MODE;
  private String pipelinedPlanCacheMode = DEFAULT_PIPELINED_PLAN_CACHE_MODE;
  private int eventLoops;

  public String getUrl() {
    return url;
  }

  /** {@code postgresql://user[:password]@host[:port]/database[?parameters]}. */
  public PostgresOptions setUrl(String url) {
    this.url = Objects.requireNonNull(url);
    return this;
  }

  public int getPoolSize() {
    return poolSize;
  }

  /** Connections of the pool. */
  public PostgresOptions setPoolSize(int poolSize) {
    this.poolSize = poolSize;
    return this;
  }

  public int getPipelinedConnections() {
    return pipelinedConnections;
  }

  /** Connections of the pipelined client, which the reads in flight share. */
  public PostgresOptions setPipelinedConnections(int pipelinedConnections) {
    this.pipelinedConnections = pipelinedConnections;
    return this;
  }

  public boolean isPipelinedPerEventLoop() {
    return pipelinedPerEventLoop;
  }

  /**
   * Whether the pipelined client's reads issued on an event loop go to a connection of that loop's own (those
   * issued elsewhere, and while a loop connects, go to the pipelined pool).
   */
  public PostgresOptions setPipelinedPerEventLoop(boolean pipelinedPerEventLoop) {
    this.pipelinedPerEventLoop = pipelinedPerEventLoop;
    return this;
  }

  public int getMaxWaitQueue() {
    return maxWaitQueue;
  }

  /** Statements that may wait for a connection before they fail fast. */
  public PostgresOptions setMaxWaitQueue(int maxWaitQueue) {
    this.maxWaitQueue = maxWaitQueue;
    return this;
  }

  public Duration getConnectionTimeout() {
    return connectionTimeout;
  }

  /** Longest wait for a connection, pooled or, for the migrations, new. */
  public PostgresOptions setConnectionTimeout(Duration connectionTimeout) {
    this.connectionTimeout = Objects.requireNonNull(connectionTimeout);
    return this;
  }

  public Duration getMigrationLockTimeout() {
    return migrationLockTimeout;
  }

  /** Longest wait, at start, for another process migrating the same database. */
  public PostgresOptions setMigrationLockTimeout(Duration migrationLockTimeout) {
    this.migrationLockTimeout = Objects.requireNonNull(migrationLockTimeout);
    return this;
  }

  public String getPlanCacheMode() {
    return planCacheMode;
  }

  /** PostgreSQL's plan_cache_mode for the pool's sessions; {@link #PLAN_CACHE_MODE_AUTO}: the server's. */
  public PostgresOptions setPlanCacheMode(String planCacheMode) {
    this.planCacheMode = Objects.requireNonNull(planCacheMode);
    return this;
  }

  public String getPipelinedPlanCacheMode() {
    return pipelinedPlanCacheMode;
  }

  /**
   * PostgreSQL's plan_cache_mode for the pipelined client's sessions; {@link #PLAN_CACHE_MODE_AUTO}: the server's;
   * {@link #PLAN_CACHE_MODE_AUTO_WITH_AUTOVACUUM}: the server's where it runs autovacuum.
   */
  public PostgresOptions setPipelinedPlanCacheMode(String pipelinedPlanCacheMode) {
    this.pipelinedPlanCacheMode = Objects.requireNonNull(pipelinedPlanCacheMode);
    return this;
  }

  public int getEventLoops() {
    return eventLoops;
  }

  /** Event loops the pool's connections spread over; 0: Vert.x's choice. */
  public PostgresOptions setEventLoops(int eventLoops) {
    this.eventLoops = eventLoops;
    return this;
  }
}
