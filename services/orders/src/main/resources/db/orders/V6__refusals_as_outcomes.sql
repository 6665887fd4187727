-- A refused request keeps why it was refused, not the HTTP answer it got: the line, the catalog's reason and words,
-- the stock remaining and the request id of the first answer. The routes render the answer from them, the first
-- time and on every retry with the same key. Rows answered 409 before keep their answer, moved into the columns
-- (the body's detail was "Line <n> (product <id>, quantity <q>): " followed by the catalog's words).
ALTER TABLE order_requests
  ADD COLUMN refusal_reason TEXT,
  ADD COLUMN refusal_detail TEXT,
  ADD COLUMN refusal_remaining INTEGER;
UPDATE order_requests SET
  refused_line = (response_body->>'line')::smallint,
  refusal_reason = response_body->>'reason',
  refusal_detail = regexp_replace(response_body->>'detail', '^Line [0-9]+ \(product [0-9]+, quantity [0-9]+\): ', ''),
  refusal_remaining = (response_body->>'remaining')::integer,
  refusal_request_id = response_body->>'requestId',
  response_body = NULL
WHERE response_status = 409 AND response_body IS NOT NULL;
