-- The trace of the request that placed each order (tracing.enabled, the trace kept), shown as the order's traceId:
-- from an order to its trace, as from a job. A nullable column without a default: no table rewrite, and the
-- statements of replicas not yet upgraded (their columns named) read and write as before.
-- It needs the table's exclusive lock for a moment: waiting behind a long transaction, it would hold every order
-- statement of the running replicas behind it; after 5 s it gives up, the start fails, and the next start tries
-- again.
SET LOCAL lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN trace_id text;
