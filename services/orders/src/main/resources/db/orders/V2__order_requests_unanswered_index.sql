-- The sweeper's index, on a predicate only the sweeper names. Every request passes through 'reserving', so an
-- index WHERE state = 'reserving' holds an entry for every request ever stored until VACUUM removes it; the
-- statements that answer one request by its key (WHERE idempotency_key = ... AND state = 'reserving') could use
-- it too, and the planner, which counts only live rows, took it for the smallest: each of them then read every
-- dead entry (21,000 a statement in a flash sale). A request is unanswered exactly while it is reserving.
ALTER TABLE order_requests
  ADD CONSTRAINT order_requests_answered_has_answer CHECK ((state = 'reserving') = (response_status IS NULL));
DROP INDEX order_requests_reserving;
CREATE INDEX order_requests_unanswered ON order_requests (created_at) WHERE response_status IS NULL;
