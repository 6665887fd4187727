package dev.surge.catalog.stock;

import dev.surge.catalog.api.StockApi.Failure;
import dev.surge.catalog.api.StockApi.Rejection;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Stock in PostgreSQL. A reservation is one statement that takes the stock only where there is enough, the sale
 * is open and the reservation id is new, records the reservation, and reads back why when it did not: the
 * product's row lock is held for that one statement only, which is what lets one hot product take thousands of
 * reservations a second.
 */
final class StockRepository {

  private static final String RESERVE = """
    WITH taken AS (
      UPDATE products
      SET stock = stock - $3, version = version + 1, updated_at = now()
      WHERE id = $2 AND stock >= $3
        AND (sale_starts_at IS NULL OR sale_starts_at <= now())
        AND (sale_ends_at IS NULL OR sale_ends_at > now())
        AND NOT EXISTS (SELECT 1 FROM stock_reservations WHERE id = $1)
      RETURNING stock),
    recorded AS (
      INSERT INTO stock_reservations (id, product_id, quantity, remaining, status)
      SELECT $1, $2, $3, stock, 'reserved' FROM taken
      RETURNING remaining)
    SELECT (SELECT remaining FROM recorded) AS reserved_remaining,
           p.id IS NOT NULL AS product_exists,
           p.stock AS stock,
           (p.sale_starts_at IS NULL OR p.sale_starts_at <= now())
             AND (p.sale_ends_at IS NULL OR p.sale_ends_at > now()) AS sale_open,
           r.product_id AS prior_product, r.quantity AS prior_quantity, r.remaining AS prior_remaining,
           r.status AS prior_status
    FROM (SELECT 1) AS one
    LEFT JOIN products p ON p.id = $2
    LEFT JOIN stock_reservations r ON r.id = $1
    """;

  private static final String MARK_RELEASED = """
    INSERT INTO stock_reservations (id, product_id, quantity, status, released_at)
    VALUES ($1, $2, 0, 'released', now())
    ON CONFLICT (id) DO NOTHING
    RETURNING id
    """;

  private static final String RELEASE = """
    WITH released AS (
      UPDATE stock_reservations SET status = 'released', released_at = now()
      WHERE id = $1 AND status = 'reserved'
      RETURNING product_id, quantity),
    restored AS (
      -- At most the largest stock a product holds: an operator may have set it there since the reservation, and a
      -- release that overflowed would fail for ever, its reservation never released.
      UPDATE products p SET stock = LEAST(p.stock::bigint + r.quantity, 2147483647)::int, version = p.version + 1,
        updated_at = now()
      FROM released r WHERE p.id = r.product_id
      RETURNING p.id)
    SELECT (SELECT product_id FROM released) AS product_id, (SELECT id FROM restored) AS restocked
    """;

  /** What a reserve came to: the stock left, whether this call took it, or why not. */
  record Reserved(int remaining, boolean taken, Rejection rejection) {
  }

  private final Pool pool;

  StockRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Reserved> reserve(String reservationId, long productId, int quantity) {
    return reserveOnce(reservationId, productId, quantity)
      // Two reserves with one id at once: the second's insert hits the first's row, and its whole statement
      // (the stock it took included) rolls back; run again, it finds the first and answers the same.
      .recover(err -> err instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? reserveOnce(reservationId, productId, quantity) : Future.failedFuture(err));
  }

  private Future<Reserved> reserveOnce(String reservationId, long productId, int quantity) {
    return pool.preparedQuery(RESERVE).execute(Tuple.of(reservationId, productId, quantity))
      .map(rows -> outcome(rows.iterator().next(), productId, quantity));
  }

  private static Reserved outcome(Row row, long productId, int quantity) {
    Integer remaining = row.getInteger("reserved_remaining");
    if (remaining != null) {
      return new Reserved(remaining, true, null);
    }
    String prior = row.getString("prior_status");
    if (prior != null) {
      return priorOutcome(prior, row.getLong("prior_product"), row.getInteger("prior_quantity"),
        row.getInteger("prior_remaining"), productId, quantity);
    }
    if (!row.getBoolean("product_exists")) {
      return rejected(Failure.NOT_FOUND, "no product with id " + productId, null);
    }
    if (!row.getBoolean("sale_open")) {
      return rejected(Failure.SALE_NOT_OPEN, "the sale of product " + productId + " is not open", null);
    }
    int stock = row.getInteger("stock");
    // The stock read is the statement's snapshot: under contention it may predate the last reservations.
    return stock < quantity
      ? rejected(Failure.INSUFFICIENT_STOCK, stock + " left, " + quantity + " asked", stock)
      : rejected(Failure.INSUFFICIENT_STOCK, "taken by concurrent orders", null);
  }

  /** A reservation id seen before: its first outcome again, or why it cannot be. */
  static Reserved priorOutcome(String status, long priorProduct, int priorQuantity, Integer priorRemaining,
                               long productId, int quantity) {
    if (status.equals("released")) {
      return rejected(Failure.RELEASED, "the reservation was released before it was made", null);
    }
    if (priorProduct == productId && priorQuantity == quantity) {
      return new Reserved(priorRemaining, false, null);
    }
    return rejected(Failure.RESERVATION_MISMATCH, "the reservation id was used for another product or quantity", null);
  }

  private static Reserved rejected(Failure failure, String detail, Integer remaining) {
    return new Reserved(-1, false, new Rejection(failure, detail, remaining));
  }

  /**
   * Gives a reservation's stock back, once: returns the product whose stock grew, or null when this call gave
   * nothing back (released before, or never made: then a mark stops the reservation from being made later).
   */
  Future<Long> release(String reservationId, long productId) {
    return pool.preparedQuery(MARK_RELEASED).execute(Tuple.of(reservationId, productId)).compose(marked -> {
      if (marked.size() == 1) {
        return Future.succeededFuture(null);
      }
      return pool.preparedQuery(RELEASE).execute(Tuple.of(reservationId))
        .map(rows -> rows.iterator().next().getLong("restocked"));
    });
  }
}
