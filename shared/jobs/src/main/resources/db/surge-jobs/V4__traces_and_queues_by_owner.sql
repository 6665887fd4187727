-- A job carries the trace of the code that enqueued it: the W3C traceparent current then (null when nothing was
-- traced), so that each attempt, minutes later and on any node, is a span in that trace. The claim returns it.
-- A nullable column without a default, and its check NOT VALID (every existing row is NULL): neither rewrites nor
-- scans the table under its lock.
-- Replicas on the earlier schema must stop before the first on this one starts: the function's result and the
-- statements that read whole rows change their columns, which a statement prepared before refuses, and the key
-- their pauses name changes (below).
ALTER TABLE surge_jobs ADD COLUMN trace_parent TEXT;
ALTER TABLE surge_jobs ADD CONSTRAINT surge_jobs_trace_parent
  CHECK (trace_parent ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$') NOT VALID;

-- A queue is paused for its owner's jobs only: two services may run queues of the same name (the jobs service's
-- "default" and another service's), and the one pausing it through its API must not hold the other's jobs. So the
-- pause is kept per owner (service.name), and a claim skips only the jobs of the owners that paused the queue.
ALTER TABLE surge_job_queues ADD COLUMN IF NOT EXISTS owner text NOT NULL DEFAULT '';
ALTER TABLE surge_job_queues DROP CONSTRAINT IF EXISTS surge_job_queues_pkey;
ALTER TABLE surge_job_queues ADD PRIMARY KEY (owner, name);

-- A queue paused before this migration stays paused for every owner with unfinished jobs in it (the row kept with
-- owner '' holds the jobs stored before owners existed), so that the upgrade starts none of the jobs it held.
INSERT INTO surge_job_queues (owner, name, paused)
SELECT DISTINCT j.owner, q.name, true
FROM surge_job_queues q JOIN surge_jobs j ON j.queue = q.name
WHERE q.owner = '' AND q.paused AND j.owner <> '' AND j.state IN ('available', 'scheduled', 'running', 'retryable')
ON CONFLICT (owner, name) DO NOTHING;

-- As V3's (why a function, why its SET clauses), but a paused queue holds only the jobs of the owners that paused
-- it (the owners read once a claim), and the trace_parent returned. Dropped first: its result has one more column.
DROP FUNCTION surge_jobs_claim(text, text[], int, bigint, text);
CREATE FUNCTION surge_jobs_claim(claim_queue text, claim_types text[], claim_limit int,
                                 lease_ms bigint, claim_node text)
RETURNS TABLE (id bigint, type text, queue text, args jsonb, attempt int, max_attempts int, timeout_ms bigint,
               priority smallint, waited_ms float8, trace_parent text)
LANGUAGE plpgsql VOLATILE
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_sort = off
AS $$
BEGIN
  RETURN QUERY WITH next AS (
    SELECT j.id FROM surge_jobs j
    WHERE j.state = 'available' AND j.queue = claim_queue AND j.type = ANY(claim_types)
      -- Paused is checked here too, not only in each node's memory: a pause counts from its commit on.
      AND j.owner <> ALL (ARRAY(SELECT q.owner FROM surge_job_queues q WHERE q.name = claim_queue AND q.paused))
    ORDER BY j.priority, j.run_at, j.id
    LIMIT claim_limit
    FOR UPDATE SKIP LOCKED)
  UPDATE surge_jobs j
  SET state = 'running', attempt = j.attempt + 1, attempted_at = now(),
      lease_expires_at = now() + lease_ms * interval '1 millisecond', node = claim_node, progress = NULL,
      progress_message = NULL
  FROM next WHERE j.id = next.id
  RETURNING j.id, j.type, j.queue, j.args, j.attempt, j.max_attempts, j.timeout_ms, j.priority,
            GREATEST(0, extract(epoch FROM clock_timestamp() - GREATEST(j.run_at, j.inserted_at)) * 1000)::float8,
            j.trace_parent;
END
$$;
