-- Stock taken by other services (orders) through catalog.stock.reserve, and given back through
-- catalog.stock.release. The reservation id is the caller's, so a retried reserve finds its first outcome.
CREATE TABLE stock_reservations (
  id          TEXT        PRIMARY KEY,
  product_id  BIGINT      NOT NULL,
  quantity    INTEGER     NOT NULL CHECK (quantity >= 0),
  remaining   INTEGER,
  status      TEXT        NOT NULL CHECK (status IN ('reserved', 'released')),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  released_at TIMESTAMPTZ
);
-- A released reservation that never took stock (quantity 0) is a mark that a late reserve with its id must fail.
CREATE INDEX stock_reservations_product ON stock_reservations (product_id) WHERE status = 'reserved';
