-- A request refused from memory never had an order, so it keeps no order id: its row is 16 bytes shorter, and the
-- service draws no random UUID for it. Every other request has the id of the order it places (or would have).
ALTER TABLE order_requests
  ALTER COLUMN order_id DROP NOT NULL,
  ADD CONSTRAINT order_requests_order_id_kept CHECK (order_id IS NOT NULL OR refused_line IS NOT NULL);
