package dev.surge.jobs.impl;

import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The queue's statements. Each is one round trip; wake-ups ride along as {@code pg_notify} in the same
 * statement, so a notification is sent exactly when the change commits.
 */
final class JobSql {

  static final String JOBS_CHANNEL = "surge_jobs";
  static final String CONTROL_CHANNEL = "surge_jobs_control";
  private static final String LIVE = "('available', 'scheduled', 'running', 'retryable')";
  private static final String ON_LIVE_KEY = "ON CONFLICT (owner, unique_key) WHERE unique_key IS NOT NULL AND state IN "
    + LIVE + " DO NOTHING";

  /**
   * How many attempts' errors a job keeps, the latest: each retry of a finished job ({@link #RETRY}) gives it one
   * more attempt, so without a bound a job retried again and again would grow without end, and every page of jobs
   * that holds it with it.
   */
  static final int ERRORS_KEPT = 20;

  private JobSql() {
  }

  /**
   * SQL for the row's {@code errors} with its attempt's {@code error} (an SQL text expression) appended, as
   * {@code {attempt, at, error}}, the oldest entries dropped past {@link #ERRORS_KEPT}; {@code row} is the table's
   * alias and a dot, or empty.
   */
  private static String withError(String row, String error) {
    return "jsonb_path_query_array(" + row + "errors || jsonb_build_array(jsonb_build_object('attempt', " + row
      + "attempt, 'at', now(), 'error', " + error + ")), '$[last - " + (ERRORS_KEPT - 1) + " to last]')";
  }

  /** $1 type .. $8 run-at, $9 whether to notify, $10 owner, $11 trace parent. */
  static final String ENQUEUE = """
    WITH ins AS (
      INSERT INTO surge_jobs (type, queue, state, priority, args, max_attempts, timeout_ms, unique_key, run_at, owner,
                              trace_parent)
      VALUES ($1, $2, CASE WHEN $8::timestamptz > now() THEN 'scheduled' ELSE 'available' END, $3, $4, $5, $6, $7,
              GREATEST(COALESCE($8::timestamptz, now()), now()), $10, $11)
      %s
      RETURNING *),
    notified AS (SELECT pg_notify('surge_jobs', queue) FROM ins WHERE state = 'available' AND $9)
    SELECT ins.*, (SELECT count(*) FROM notified) AS notified FROM ins
    """.formatted(ON_LIVE_KEY);

  static final String NOTIFY = "SELECT count(*) FROM (SELECT pg_notify('surge_jobs', $1)) AS notified";

  /** $1 key, $2 owner. */
  static final String LIVE_BY_UNIQUE_KEY = "SELECT * FROM surge_jobs WHERE unique_key = $1 AND owner = $2 AND state IN "
    + LIVE;

  /** $1 types .. $8 run-ats, $9 whether to notify, $10 owner, $11 trace parents. */
  static final String ENQUEUE_ALL = """
    WITH ins AS (
      INSERT INTO surge_jobs (type, queue, state, priority, args, max_attempts, timeout_ms, unique_key, run_at, owner,
                              trace_parent)
      SELECT t, q, CASE WHEN r > now() THEN 'scheduled' ELSE 'available' END, p, a::jsonb, m, tm, u,
             GREATEST(COALESCE(r, now()), now()), $10, tp
      FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::int[], $6::bigint[], $7::text[],
                  $8::timestamptz[], $11::text[]) AS x(t, q, p, a, m, tm, u, r, tp)
      %s
      RETURNING id, queue, state),
    notified AS (SELECT pg_notify('surge_jobs', queue) FROM (SELECT DISTINCT queue FROM ins WHERE state = 'available') d
                 WHERE $9)
    SELECT id, (SELECT count(*) FROM notified) AS notified FROM ins ORDER BY id
    """.formatted(ON_LIVE_KEY);

  /**
   * $1 queue, $2 types, $3 how many, $4 lease ms, $5 node. A function of the schema (V3__claim_by_index.sql), so
   * that its plan walks the claim index whatever the statistics say.
   */
  static final String CLAIM = "SELECT * FROM surge_jobs_claim($1::text, $2::text[], $3::int, $4::bigint, $5::text)";

  static final String CLAIM_FUNCTION_PRESENT =
    "SELECT to_regprocedure('surge_jobs_claim(text, text[], integer, bigint, text)') IS NOT NULL";

  /**
   * Due scheduled and retryable jobs made available. The rows locked are updated where they lie, as the claim's are
   * (V5__claim_updates_by_row_address.sql, which says why): as a join, with the table analyzed while it held no live
   * row, each of 10,000 due jobs was tested against every row of the table (21 s). A job changed meanwhile by
   * another transaction is left for the next poll.
   */
  static final String STAGE = """
    WITH due AS (
      SELECT ctid FROM surge_jobs WHERE state IN ('scheduled', 'retryable') AND run_at <= now()
      ORDER BY run_at LIMIT 10000 FOR UPDATE SKIP LOCKED),
    staged AS (UPDATE surge_jobs j SET state = 'available' WHERE j.ctid = ANY(ARRAY(SELECT ctid FROM due)) RETURNING j.queue),
    notified AS (SELECT pg_notify('surge_jobs', queue) FROM (SELECT DISTINCT queue FROM staged) q)
    SELECT (SELECT count(*) FROM staged) AS staged, (SELECT count(*) FROM notified) AS notified
    """;

  /**
   * $1 ids, $2 attempts, $3 results as JSON text, $4 node: the (id, attempt) pairs stored. A pair not returned
   * was no longer its job's current attempt on this node (its lease expired and the job was rescued, or it was
   * cancelled): its outcome is not stored. The statements that change a node's running jobs by the batch
   * (this one, {@link #RENEW}, {@link #RELEASE}) lock their rows in id order first: taken in whatever order the
   * plan met them, a completion and a lease renewal of the same jobs deadlocked (PostgreSQL then cancels one, after
   * a second's wait).
   */
  static final String COMPLETE = """
    WITH done AS MATERIALIZED (
      SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[]) AS c(id, attempt, result) ORDER BY id),
    %s
    UPDATE surge_jobs j
    SET state = 'completed', finished_at = now(), lease_expires_at = NULL, result = held.result::jsonb
    -- By primary key even when the batch is large: a hash join would read the whole table. The ids as an array
    -- the statement makes (not the parameter): the planner then counts on a few and takes the primary key; with
    -- the parameter's 300 it weighed the whole table as cheaper, to a hundredth, once a column was added.
    FROM held WHERE j.id = held.id AND j.id = ANY(ARRAY(SELECT id FROM held))
    RETURNING j.id, j.attempt
    """.formatted(held("done", "$4", "c.result"));

  /**
   * $1 id, $2 attempt, $3 backoff ms, $4 error, $5 node, $6 permanent (discarded whatever attempts are left): no
   * row when the attempt no longer holds the job.
   */
  static final String FAIL = """
    UPDATE surge_jobs
    SET state = CASE WHEN attempt >= max_attempts OR $6 THEN 'discarded' ELSE 'retryable' END,
        run_at = CASE WHEN attempt >= max_attempts OR $6 THEN run_at
                      ELSE now() + $3::bigint * interval '1 millisecond' END,
        finished_at = CASE WHEN attempt >= max_attempts OR $6 THEN now() END,
        lease_expires_at = NULL,
        errors = %s
    WHERE id = $1 AND attempt = $2 AND state = 'running' AND node = $5
    RETURNING state
    """.formatted(withError("", "$4::text"));

  /** $1 ids, $2 attempts, $3 lease ms, $4 node: the (id, attempt) pairs still held. */
  static final String RENEW = """
    WITH pairs AS MATERIALIZED (SELECT * FROM unnest($1::bigint[], $2::int[]) AS c(id, attempt) ORDER BY id),
    %s
    UPDATE surge_jobs j SET lease_expires_at = now() + $3::bigint * interval '1 millisecond'
    FROM held WHERE j.id = held.id AND j.id = ANY(ARRAY(SELECT id FROM held))
    RETURNING j.id, j.attempt
    """.formatted(held("pairs", "$4", "NULL"));

  /**
   * Which of the attempts ($1 ids, $2 attempts) a cancellation stopped: {@link #CANCEL} records the attempt as an
   * error "cancelled" then, and only for a running job (a rescue records "lease expired" and keeps the node and the
   * attempt). By the attempt, not the state: a job retried since is still one whose attempt was cancelled. Read
   * when a cancellation's notification or a renewal finds this node no longer holds a running attempt.
   */
  static final String STOPPED_BY_A_CANCELLATION = """
    SELECT c.id, c.attempt FROM unnest($1::bigint[], $2::int[]) AS c(id, attempt) JOIN surge_jobs j ON j.id = c.id
    WHERE j.errors @> jsonb_build_array(jsonb_build_object('attempt', c.attempt, 'error', 'cancelled'))
    """;

  /** Expired leases: the jobs made available again, or discarded. Rows updated where they lie, as {@link #STAGE}'s. */
  static final String RESCUE = """
    WITH expired AS (
      SELECT ctid FROM surge_jobs WHERE state = 'running' AND lease_expires_at < now()
      ORDER BY lease_expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED),
    rescued AS (
      UPDATE surge_jobs j
      SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded' ELSE 'available' END,
          run_at = now(), finished_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END, lease_expires_at = NULL,
          errors = %s
      WHERE j.ctid = ANY(ARRAY(SELECT ctid FROM expired))
      RETURNING j.id, j.queue, j.type, j.state),
    notified AS (SELECT pg_notify('surge_jobs', queue) FROM (SELECT DISTINCT queue FROM rescued WHERE state = 'available') q)
    SELECT id, queue, type, state, (SELECT count(*) FROM notified) AS notified FROM rescued
    """.formatted(withError("j.", "'lease expired: node ' || COALESCE(j.node, '?') "
      + "|| ' stopped renewing it (crashed, killed or cut off)'"));

  /** $1 ids, $2 attempts, $3 node: hands running attempts back, not counted; one no longer held is left alone. */
  static final String RELEASE = """
    WITH pairs AS MATERIALIZED (SELECT * FROM unnest($1::bigint[], $2::int[]) AS c(id, attempt) ORDER BY id),
    %s,
    released AS (
      UPDATE surge_jobs j
      SET state = 'available', run_at = now(), attempt = j.attempt - 1, lease_expires_at = NULL,
          errors = %s
      FROM held WHERE j.id = held.id AND j.id = ANY(ARRAY(SELECT id FROM held))
      RETURNING j.queue),
    notified AS (SELECT pg_notify('surge_jobs', queue) FROM (SELECT DISTINCT queue FROM released) q)
    SELECT (SELECT count(*) FROM released) AS released, (SELECT count(*) FROM notified) AS notified
    """.formatted(held("pairs", "$3", "NULL"), withError("j.",
      "'interrupted: node ' || j.node || ' stopped before the job finished; not counted as an attempt'"));

  /** $1 retention ms. */
  static final String PRUNE = """
    DELETE FROM surge_jobs WHERE id IN (
      SELECT id FROM surge_jobs
      WHERE state IN ('completed', 'cancelled', 'discarded') AND finished_at < now() - $1::bigint * interval '1 millisecond'
      LIMIT 10000)
    """;

  static final String PROGRESS = """
    UPDATE surge_jobs SET progress = $3, progress_message = $4 WHERE id = $1 AND attempt = $2 AND state = 'running'
    """;

  /** $1 id, $2 owner. */
  static final String GET = "SELECT * FROM surge_jobs WHERE id = $1 AND owner = $2";

  /** $1 state, $2 queue, $3 type, $4 before id, $5 limit, $6 owner. */
  static final String LIST = """
    SELECT * FROM surge_jobs
    WHERE owner = $6 AND ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR queue = $2) AND ($3::text IS NULL OR type = $3)
      AND ($4::bigint IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5::int
    """;

  /** $1 id, $2 owner. */
  static final String CANCEL = """
    WITH target AS (SELECT id, state AS previous FROM surge_jobs WHERE id = $1 AND owner = $2 FOR UPDATE),
    cancelled AS (
      UPDATE surge_jobs j
      SET state = 'cancelled', finished_at = now(), lease_expires_at = NULL,
          errors = CASE WHEN target.previous = 'running'
            THEN %s
            ELSE j.errors END
      FROM target WHERE j.id = target.id AND target.previous IN %s
      RETURNING j.*, target.previous),
    notified AS (SELECT pg_notify('surge_jobs_control', 'cancel:' || id) FROM cancelled WHERE previous = 'running')
    SELECT cancelled.*, (SELECT count(*) FROM notified) AS notified FROM cancelled
    """.formatted(withError("j.", "'cancelled'"),
      LIVE);

  /** $1 id, $2 owner. */
  static final String RETRY = """
    WITH retried AS (
      UPDATE surge_jobs
      SET state = 'available', run_at = now(), finished_at = NULL, result = NULL, progress = NULL,
          progress_message = NULL, max_attempts = GREATEST(max_attempts, attempt + 1)
      WHERE id = $1 AND owner = $2 AND state IN ('completed', 'cancelled', 'discarded')
      RETURNING *),
    notified AS (SELECT pg_notify('surge_jobs', queue) FROM retried)
    SELECT retried.*, (SELECT count(*) FROM notified) AS notified FROM retried
    """;

  /** $1 queue, $2 paused, $3 owner: the queue paused or resumed for the owner's jobs (V4__traces_and_queues_by_owner.sql). */
  static final String SET_PAUSED = """
    WITH up AS (
      INSERT INTO surge_job_queues (owner, name, paused) VALUES ($3, $1, $2)
      ON CONFLICT (owner, name) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()
      RETURNING name, paused),
    notified AS (SELECT pg_notify('surge_jobs_control', CASE WHEN paused THEN 'pause:' ELSE 'resume:' END || name) FROM up)
    SELECT name, paused, (SELECT count(*) FROM notified) AS notified FROM up
    """;

  /** $1 owner. */
  static final String PAUSED_QUEUES = "SELECT name FROM surge_job_queues WHERE paused AND owner = $1";

  /** $1 owner. */
  static final String KNOWN_QUEUES = "SELECT name, paused FROM surge_job_queues WHERE owner = $1";

  /**
   * How many rows the planner counts on in surge_jobs: its statistics' rows a page times the pages the table has
   * now, as PostgreSQL estimates it; null when it has no statistics yet (it then guesses from the pages alone).
   */
  static final String PLANNED_ROWS = """
    SELECT CASE WHEN reltuples < 0 OR relpages = 0 THEN NULL
                ELSE reltuples / relpages * (pg_relation_size(oid) / current_setting('block_size')::int) END
    FROM pg_class WHERE oid = 'surge_jobs'::regclass
    """;

  /** Fresh statistics; skipped when a vacuum or another node's ANALYZE holds the table. */
  static final String ANALYZE = "ANALYZE (SKIP_LOCKED) surge_jobs";

  /** $1 owner, or null for every owner's jobs. */
  static final String DEPTH = """
    SELECT queue, state, count(*) AS jobs FROM surge_jobs
    WHERE state IN ('available', 'scheduled', 'retryable', 'running') AND ($1::text IS NULL OR owner = $1)
    GROUP BY queue, state
    """;

  /**
   * The CTE {@code held (id, result)}: the rows of the (id, attempt) pairs in {@code pairs} (a CTE sorted by id)
   * that are still running on {@code node}, locked. Each pair is looked up by primary key, in id order (the
   * lateral join keeps the pairs' order): a plan free to choose would scan the running jobs' partial index, which
   * between vacuums also holds an entry for every job that has finished since, and took 60 ms for 600 completions
   * after 50,000 jobs (docs/BENCHMARKS.md). (Updating each row by the ctid held returned looked cheaper still, but
   * a row a concurrent renewal changed is locked at its new version, which the statement's snapshot does not see:
   * the completion stored nothing. CompletionAndLeaseRenewalNeverDeadlockTest caught it.)
   */
  private static String held(String pairs, String node, String result) {
    return """
      held AS (
        SELECT j.id, %3$s AS result FROM %1$s c CROSS JOIN LATERAL (
          SELECT id FROM surge_jobs WHERE id = c.id AND attempt = c.attempt AND state = 'running' AND node = %2$s
          FOR UPDATE) j)""".formatted(pairs, node, result);
  }

  /** The trace id of the job's traceparent, or null. */
  private static String traceId(Row row) {
    return JobRequest.traceIdOf(row.getColumnIndex("trace_parent") < 0 ? null : row.getString("trace_parent"));
  }

  static Job job(Row row) {
    return new Job(
      row.getLong("id"),
      row.getString("type"),
      row.getString("queue"),
      JobState.fromWire(row.getString("state")),
      row.getShort("priority"),
      row.getJsonObject("args"),
      row.getJsonObject("result"),
      row.getInteger("attempt"),
      row.getInteger("max_attempts"),
      Duration.ofMillis(row.getLong("timeout_ms")),
      row.getString("unique_key"),
      instant(row, "run_at"),
      instant(row, "inserted_at"),
      instant(row, "attempted_at"),
      instant(row, "finished_at"),
      row.getString("node"),
      row.getValue("progress") == null ? null : row.getShort("progress").intValue(),
      row.getString("progress_message"),
      row.getValue("errors") == null ? new JsonArray() : (JsonArray) row.getValue("errors"),
      traceId(row),
      false);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
