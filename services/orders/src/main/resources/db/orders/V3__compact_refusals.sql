-- A request refused from memory (its product known sold out) is stored compactly: which line was refused and the
-- request id its answer carried, no lines and no body. Its answer is rebuilt on replay from the request itself,
-- which is the same (same key and hash). After a flash sale nearly every request is one of these, and the JSON
-- of two columns was most of what PostgreSQL spent on each.
ALTER TABLE order_requests
  ALTER COLUMN lines DROP NOT NULL,
  ADD COLUMN refused_line SMALLINT,
  ADD COLUMN refusal_request_id TEXT,
  ADD CONSTRAINT order_requests_answer_kept
    CHECK (response_status IS NULL OR response_body IS NOT NULL OR refused_line IS NOT NULL),
  ADD CONSTRAINT order_requests_lines_kept CHECK (lines IS NOT NULL OR refused_line IS NOT NULL);
