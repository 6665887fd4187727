-- A placed order's answer is replayed to a retry with its Idempotency-Key word for word: kept as json (its text as
-- written) rather than jsonb, which reorders an object's keys (the replay read "lines":[{"quantity":2,"productId":1}]
-- where the first answer had "productId" first). Answers stored before stay as jsonb wrote them.
-- The type change rewrites the table under its exclusive lock: waiting behind a long transaction, it would hold every
-- order statement of the running replicas behind it; after 5 s it gives up, the start fails, and the next tries again.
SET LOCAL lock_timeout = '5s';
ALTER TABLE order_requests ALTER COLUMN response_body TYPE json USING response_body::json;
