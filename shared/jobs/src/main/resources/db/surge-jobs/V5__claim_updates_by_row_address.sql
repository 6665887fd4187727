-- As V4's, but the jobs locked are then updated where they lie (by the row addresses the lock returned), not
-- found again by a join. As a join the planner was free to turn it round: with the table last analyzed when it held
-- no live row (a quiet spell, then a burst), it counted on one row on each side and walked the whole primary key,
-- testing every job against every one locked. A claim of a hundred from 50,000 compared five million pairs and took
-- 0.6 s, and the queue ran 200 jobs a second until the next ANALYZE (docs/BENCHMARKS.md). By id instead, it chose
-- the (owner, id) index, read whole for want of an owner. By address there is one plan left (a sequential scan is
-- off here). A job changed by another transaction between this statement's snapshot and its lock (say, cancelled)
-- is locked at its new version, which the update does not see: it is left as it is, unclaimed, which is what a
-- claim may always do (SKIP LOCKED does the same). Same arguments and result as V4's: replicas on V4 run on it.
CREATE OR REPLACE FUNCTION surge_jobs_claim(claim_queue text, claim_types text[], claim_limit int,
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
    SELECT j.ctid FROM surge_jobs j
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
  WHERE j.ctid = ANY(ARRAY(SELECT next.ctid FROM next))
  RETURNING j.id, j.type, j.queue, j.args, j.attempt, j.max_attempts, j.timeout_ms, j.priority,
            GREATEST(0, extract(epoch FROM clock_timestamp() - GREATEST(j.run_at, j.inserted_at)) * 1000)::float8,
            j.trace_parent;
END
$$;
