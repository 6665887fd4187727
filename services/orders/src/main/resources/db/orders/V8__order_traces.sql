-- The trace of the request that placed each order (tracing.enabled, the trace kept), shown as the order's traceId:
-- from an order to its trace, as from a job. A nullable column without a default: no table rewrite, and the
-- statements of replicas not yet upgraded (their columns named) read and write as before.
ALTER TABLE orders ADD COLUMN trace_id text;
