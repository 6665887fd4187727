package dev.surge.orders.placement;

import dev.surge.orders.orders.KeyedBatches;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Stores the answers of requests refused from memory (a product known sold out), in batches ({@link
 * KeyedBatches}): after a flash sale sells out nearly every request is one. Each is a compact row, the refused
 * line and the request id of the answer, which {@link PlaceOrder} rebuilds on replay, and no order id, as there is
 * no order. The client has its 409 only once the row is flushed to disk: a refusal lost in a database crash would
 * let a retry with the same key be decided afresh, and placed (201) once stock is back. The batch is the group
 * commit: one flush for every refusal in it (measured in docs/BENCHMARKS.md, durability costs a batch of 50 about
 * a third of the refusals a second that could be stored without it, a batch of 200 almost nothing).
 */
final class RefusalWriter {

  private static final String STORE = """
    WITH refused AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[])
        AS r(idempotency_key, request_hash, refused_line, request_id))
    INSERT INTO order_requests (idempotency_key, request_hash, state, response_status, refused_line,
                                refusal_request_id)
    SELECT idempotency_key, request_hash, 'answered', 409, refused_line, request_id
    FROM refused
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING idempotency_key
    """;

  private record Refusal(String key, String hash, short line, String requestId) {
  }

  private final KeyedBatches<Refusal> inserts;

  RefusalWriter(Pool pool) {
    // One statement at a time per event loop: refusals come by the thousand a second, and PostgreSQL spends less
    // on a few large inserts than on many small ones side by side (measured: twice the refusals a second).
    this.inserts = new KeyedBatches<>(1, Refusal::key, batch -> KeyedBatches.returnedKeys(pool, STORE, Tuple.of(
      batch.stream().map(Refusal::key).toArray(String[]::new),
      batch.stream().map(Refusal::hash).toArray(String[]::new),
      batch.stream().map(Refusal::line).toArray(Short[]::new),
      batch.stream().map(Refusal::requestId).toArray(String[]::new))));
  }

  /** True when stored; false when the key was taken (by an earlier request, or the same one sent twice at once). */
  Future<Boolean> store(String key, String hash, int line, String requestId) {
    return inserts.write(new Refusal(key, hash, (short) line, requestId));
  }
}
