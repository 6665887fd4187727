-- Each job belongs to the service that enqueued it (its service.name): a service's job API sees and acts only on
-- its own jobs, and a unique key holds per owner, so that no client of one service can take a key another uses.
-- Jobs enqueued before this migration have no owner (''): they still run, but no service's API shows them and
-- their unique keys no longer hold against new jobs.
ALTER TABLE surge_jobs ADD COLUMN IF NOT EXISTS owner text NOT NULL DEFAULT '';

CREATE UNIQUE INDEX IF NOT EXISTS surge_jobs_unique_live_by_owner ON surge_jobs (owner, unique_key)
  WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable');
DROP INDEX IF EXISTS surge_jobs_unique_live;

-- Listing an owner's jobs, newest first, without walking the other services' jobs.
CREATE INDEX IF NOT EXISTS surge_jobs_owner_id ON surge_jobs (owner, id);
