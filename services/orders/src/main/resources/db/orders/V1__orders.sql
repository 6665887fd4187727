-- Orders, and the requests that place them. A request's row is written before any stock is reserved for it:
-- it is the idempotency record (its key, a hash of its body, and once answered the answer), and the intent a
-- sweeper finds when the process died between reserving and storing the order.
CREATE TABLE orders (
  id              UUID        PRIMARY KEY,
  seq             BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
  customer_id     TEXT        NOT NULL,
  status          TEXT        NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled')),
  lines           JSONB       NOT NULL,
  idempotency_key TEXT        NOT NULL UNIQUE,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  confirmed_at    TIMESTAMPTZ,
  cancelled_at    TIMESTAMPTZ
);
CREATE INDEX orders_by_customer ON orders (customer_id, seq DESC);

CREATE TABLE order_requests (
  idempotency_key TEXT        PRIMARY KEY,
  request_hash    TEXT        NOT NULL,
  order_id        UUID        NOT NULL,
  lines           JSONB       NOT NULL,
  state           TEXT        NOT NULL CHECK (state IN ('reserving', 'answered')),
  response_status INTEGER,
  response_body   JSONB,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX order_requests_reserving ON order_requests (created_at) WHERE state = 'reserving';
