-- Claiming, as a function so that its plan can be pinned to the claim index. A claim wants the first few
-- available jobs in (priority, run_at, id) order, which only an ordered walk of surge_jobs_claim gives without
-- reading them all. The planner chooses by its statistics, and those lag behind a queue's bursts: after 200,000
-- jobs were enqueued into a table last analyzed empty, it chose a bitmap scan and a sort of every available job
-- for each claim of a hundred, and the queue ran 2,200 jobs a second instead of 20,000 until autovacuum's next
-- ANALYZE (docs/BENCHMARKS.md). The SET clauses hold only while the function runs; PL/pgSQL keeps the plan for
-- the session, as a prepared statement would. Every column is named with its table, so that none can be taken
-- for one of the function's parameters or result columns (PL/pgSQL refuses an ambiguous name).
--
-- $1 queue, $2 types, $3 how many, $4 lease ms, $5 node: the jobs claimed, now running on that node.
CREATE OR REPLACE FUNCTION surge_jobs_claim(claim_queue text, claim_types text[], claim_limit int,
                                            lease_ms bigint, claim_node text)
RETURNS TABLE (id bigint, type text, queue text, args jsonb, attempt int, max_attempts int, timeout_ms bigint,
               priority smallint, waited_ms float8)
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
      AND NOT EXISTS (SELECT 1 FROM surge_job_queues q WHERE q.name = claim_queue AND q.paused)
    ORDER BY j.priority, j.run_at, j.id
    LIMIT claim_limit
    FOR UPDATE SKIP LOCKED)
  UPDATE surge_jobs j
  SET state = 'running', attempt = j.attempt + 1, attempted_at = now(),
      lease_expires_at = now() + lease_ms * interval '1 millisecond', node = claim_node, progress = NULL,
      progress_message = NULL
  FROM next WHERE j.id = next.id
  RETURNING j.id, j.type, j.queue, j.args, j.attempt, j.max_attempts, j.timeout_ms, j.priority,
            GREATEST(0, extract(epoch FROM clock_timestamp() - GREATEST(j.run_at, j.inserted_at)) * 1000)::float8;
END
$$;
