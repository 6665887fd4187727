-- The outbox of the orders' webhook: each state change of an order (placed, confirmed, cancelled) recorded in the
-- transaction that made it, numbered per order, with the order as it was after it. order.notify jobs (enqueued in
-- the same transaction) post them in that order and mark each delivered once the webhook answered 2xx. Written
-- only while orders.webhookUrl is set.
CREATE TABLE order_events (
  event_id     UUID        PRIMARY KEY,
  order_id     UUID        NOT NULL REFERENCES orders (id),
  seq          INTEGER     NOT NULL CHECK (seq > 0),
  type         TEXT        NOT NULL CHECK (type IN ('placed', 'confirmed', 'cancelled')),
  body         JSONB       NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  delivered_at TIMESTAMPTZ,
  UNIQUE (order_id, seq)
);
