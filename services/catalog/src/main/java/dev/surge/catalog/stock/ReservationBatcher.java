package dev.surge.catalog.stock;

import dev.surge.tracing.CallerPromises;
import dev.surge.catalog.api.StockApi.Failure;
import dev.surge.catalog.api.StockApi.Rejection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group commit for one hot product. Every reservation of a product must take its row lock and, before the next
 * one can, commit, which means a WAL flush: one at a time, a flash sale's product would take as many orders a
 * second as the disk flushes. So the reservations of a product that arrive while its previous statement runs
 * wait (on this event loop, a few hundred microseconds) and go together in the next one: one lock, one flush,
 * first come first served, each answered as if alone. An idle product's reservation goes at once.
 *
 * <p>One batcher per consumer instance; its state is touched only on that instance's event loop.
 */
final class ReservationBatcher {

  static final int MAX_BATCH = 500;

  private static final String RESERVE_BATCH = """
    WITH req AS (
      SELECT r.id, r.qty, r.n FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS r(id, qty, n)),
    product AS (
      SELECT id, stock FROM products
      WHERE id = $1 AND (sale_starts_at IS NULL OR sale_starts_at <= now())
        AND (sale_ends_at IS NULL OR sale_ends_at > now())
      FOR UPDATE),
    -- Each lookup of stock_reservations is a LATERAL ... LIMIT 1: one primary-key probe per reservation, whatever
    -- the planner thinks of the table. A plan cached while the table was nearly empty (and not yet analyzed)
    -- otherwise read the whole table for every batch, which cut a flash sale's orders by two thirds.
    fresh AS (
      SELECT req.* FROM req LEFT JOIN LATERAL (
        SELECT 1 AS found FROM stock_reservations s WHERE s.id = req.id LIMIT 1) prior ON true
      WHERE prior.found IS NULL),
    ranked AS (SELECT fresh.*, sum(fresh.qty) OVER (ORDER BY fresh.n) AS cum FROM fresh),
    accepted AS (SELECT ranked.* FROM ranked, product WHERE ranked.cum <= product.stock),
    taken AS (
      UPDATE products p SET stock = p.stock - t.total, version = p.version + 1, updated_at = now()
      FROM (SELECT sum(qty) AS total FROM accepted) t
      WHERE p.id = $1 AND t.total > 0
      RETURNING p.stock),
    recorded AS (
      INSERT INTO stock_reservations (id, product_id, quantity, remaining, status)
      SELECT a.id, $1, a.qty, (product.stock - a.cum)::int, 'reserved' FROM accepted a, product
      RETURNING id, remaining)
    SELECT req.n, rec.remaining AS reserved_remaining,
           (SELECT stock FROM product) - coalesce((SELECT sum(qty) FROM accepted), 0) AS left_after,
           (SELECT count(*) FROM product) = 1 AS locked,
           pinfo.product_exists, pinfo.sale_open,
           r.product_id AS prior_product, r.quantity AS prior_quantity, r.remaining AS prior_remaining,
           r.status AS prior_status
    FROM req
    LEFT JOIN recorded rec ON rec.id = req.id
    LEFT JOIN LATERAL (SELECT * FROM stock_reservations s WHERE s.id = req.id LIMIT 1) r ON true
    CROSS JOIN (
      SELECT p.id IS NOT NULL AS product_exists,
             coalesce((p.sale_starts_at IS NULL OR p.sale_starts_at <= now())
               AND (p.sale_ends_at IS NULL OR p.sale_ends_at > now()), false) AS sale_open
      FROM (SELECT 1) one LEFT JOIN products p ON p.id = $1) pinfo
    ORDER BY req.n
    """;

  private record Waiting(String reservationId, int quantity, List<Promise<StockRepository.Reserved>> answers) {
  }

  private static final class ProductQueue {
    boolean inFlight;
    final Map<String, Waiting> waiting = new LinkedHashMap<>();
  }

  private final Pool pool;
  private final StockRepository single;
  private final java.util.function.LongFunction<Future<Void>> invalidate;
  private final Map<Long, ProductQueue> products = new HashMap<>();

  /** {@code invalidate} drops the product's cache entry: once per batch that took stock, before its answers. */
  ReservationBatcher(Pool pool, StockRepository single, java.util.function.LongFunction<Future<Void>> invalidate) {
    this.pool = pool;
    this.single = single;
    this.invalidate = invalidate;
  }

  Future<StockRepository.Reserved> reserve(String reservationId, long productId, int quantity) {
    Promise<StockRepository.Reserved> answer = CallerPromises.promise(); // answered as the caller, not the batch
    ProductQueue queue = products.computeIfAbsent(productId, id -> new ProductQueue());
    Waiting same = queue.waiting.get(reservationId);
    if (same != null && same.quantity() == quantity) {
      same.answers().add(answer); // the same reservation sent twice: one answer for both
    } else if (same != null) {
      return single.reserve(reservationId, productId, quantity);
    } else {
      queue.waiting.put(reservationId, new Waiting(reservationId, quantity, new ArrayList<>(List.of(answer))));
    }
    if (!queue.inFlight) {
      send(productId, queue);
    }
    return answer.future();
  }

  private void send(long productId, ProductQueue queue) {
    if (queue.waiting.isEmpty()) {
      queue.inFlight = false;
      products.remove(productId);
      return;
    }
    List<Waiting> batch = new ArrayList<>();
    var it = queue.waiting.values().iterator();
    while (it.hasNext() && batch.size() < MAX_BATCH) {
      batch.add(it.next());
      it.remove();
    }
    queue.inFlight = true;
    execute(productId, batch, true).onComplete(v -> send(productId, queue));
  }

  /**
   * Runs one batch and answers its reservations; completes when they are answered (or handed to single statements).
   * A batch fails whole on a reservation id that another instance's batch (another replica's, or this one's other
   * copy of a repeated request) took after this statement began: run once more, it sees that reservation and answers
   * its first outcome, in one statement still. Only if that fails too does each reservation go alone.
   */
  private Future<Void> execute(long productId, List<Waiting> batch, boolean againOnDuplicate) {
    String[] ids = batch.stream().map(Waiting::reservationId).toArray(String[]::new);
    Integer[] quantities = batch.stream().map(Waiting::quantity).toArray(Integer[]::new);
    return pool.preparedQuery(RESERVE_BATCH).execute(Tuple.of(productId, ids, quantities)).transform(ar -> {
      if (ar.succeeded()) {
        List<StockRepository.Reserved> outcomes = new ArrayList<>();
        for (Row row : ar.result()) {
          outcomes.add(outcome(row, productId, batch.get(outcomes.size()).quantity()));
        }
        boolean taken = outcomes.stream().anyMatch(StockRepository.Reserved::taken);
        (taken ? invalidate.apply(productId) : Future.<Void>succeededFuture()).onComplete(v -> {
          for (int i = 0; i < batch.size(); i++) {
            StockRepository.Reserved outcome = outcomes.get(i);
            batch.get(i).answers().forEach(p -> p.complete(outcome));
          }
        });
      } else if (ar.cause() instanceof PgException pg && "23505".equals(pg.getSqlState())) {
        if (againOnDuplicate) {
          return execute(productId, batch, false);
        }
        batch.forEach(w -> single.reserve(w.reservationId(), productId, w.quantity())
          .compose(r -> r.taken() ? invalidate.apply(productId).map(r) : Future.succeededFuture(r))
          .onComplete(r -> w.answers().forEach(p -> p.handle(r))));
      } else {
        batch.forEach(w -> w.answers().forEach(p -> p.fail(ar.cause())));
      }
      return Future.succeededFuture();
    });
  }

  private static StockRepository.Reserved outcome(Row row, long productId, int quantity) {
    Integer remaining = row.getInteger("reserved_remaining");
    if (remaining != null) {
      return new StockRepository.Reserved(remaining, true, null);
    }
    String prior = row.getString("prior_status");
    if (prior != null) {
      return StockRepository.priorOutcome(prior, row.getLong("prior_product"), row.getInteger("prior_quantity"),
        row.getInteger("prior_remaining"), productId, quantity);
    }
    if (!row.getBoolean("product_exists")) {
      return rejected(Failure.NOT_FOUND, "no product with id " + productId, null);
    }
    if (!row.getBoolean("locked") || !row.getBoolean("sale_open")) {
      return rejected(Failure.SALE_NOT_OPEN, "the sale of product " + productId + " is not open", null);
    }
    int left = row.getInteger("left_after");
    return rejected(Failure.INSUFFICIENT_STOCK, left + " left, " + quantity + " asked", left);
  }

  private static StockRepository.Reserved rejected(Failure failure, String detail, Integer remaining) {
    return new StockRepository.Reserved(-1, false, new Rejection(failure, detail, remaining));
  }
}
