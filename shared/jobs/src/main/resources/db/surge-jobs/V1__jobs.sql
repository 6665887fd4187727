-- The durable job queue every Surge service may embed (dev.surge.jobs). One table for the whole platform:
-- a node claims only the types it has handlers for.
CREATE TABLE IF NOT EXISTS surge_jobs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type             text        NOT NULL,
  queue            text        NOT NULL,
  state            text        NOT NULL CHECK (state IN ('available', 'scheduled', 'running', 'retryable',
                                                         'completed', 'cancelled', 'discarded')),
  priority         smallint    NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 9),
  args             jsonb       NOT NULL DEFAULT '{}',
  result           jsonb,
  attempt          integer     NOT NULL DEFAULT 0,
  max_attempts     integer     NOT NULL CHECK (max_attempts >= 1),
  timeout_ms       bigint      NOT NULL CHECK (timeout_ms >= 1),
  unique_key       text,
  run_at           timestamptz NOT NULL DEFAULT now(),
  inserted_at      timestamptz NOT NULL DEFAULT now(),
  attempted_at     timestamptz,
  finished_at      timestamptz,
  lease_expires_at timestamptz,
  node             text,
  progress         smallint CHECK (progress BETWEEN 0 AND 100),
  progress_message text,
  errors           jsonb       NOT NULL DEFAULT '[]'
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

-- Claiming walks this index in order: only available rows are in it, so it stays small however many jobs finished.
CREATE INDEX IF NOT EXISTS surge_jobs_claim ON surge_jobs (queue, priority, run_at, id) WHERE state = 'available';
-- The stager finds scheduled and retryable jobs that came due.
CREATE INDEX IF NOT EXISTS surge_jobs_due ON surge_jobs (run_at) WHERE state IN ('scheduled', 'retryable');
-- The rescuer finds running jobs whose lease expired.
CREATE INDEX IF NOT EXISTS surge_jobs_lease ON surge_jobs (lease_expires_at) WHERE state = 'running';
-- The pruner deletes finished jobs past their retention.
CREATE INDEX IF NOT EXISTS surge_jobs_finished ON surge_jobs (finished_at)
  WHERE state IN ('completed', 'cancelled', 'discarded');
-- A unique key holds while its job is alive; once it finished, the key may be used again.
CREATE UNIQUE INDEX IF NOT EXISTS surge_jobs_unique_live ON surge_jobs (unique_key)
  WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable');

CREATE TABLE IF NOT EXISTS surge_job_queues (
  name       text PRIMARY KEY,
  paused     boolean     NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
