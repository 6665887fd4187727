-- The orders still waiting for their order.fulfil job, counted every few seconds for surge_orders_pending (what
-- the console shows while a sale runs): a partial index keeps that count to the pending rows alone.
CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'pending';
