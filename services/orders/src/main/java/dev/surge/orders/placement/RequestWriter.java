package dev.surge.orders.placement;

import dev.surge.orders.orders.KeyedBatches;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * Stores order requests as reserving, in batches ({@link KeyedBatches}): each must be flushed before its stock is
 * reserved (it is what the sweeper finds if the process dies), and one statement and one flush per request would
 * make the disk's flush rate the ceiling of orders a second.
 */
final class RequestWriter {

  private static final String CLAIM = """
    INSERT INTO order_requests (idempotency_key, request_hash, order_id, lines, state)
    SELECT idempotency_key, request_hash, order_id, lines::jsonb, 'reserving'
    FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[]) AS r(idempotency_key, request_hash, order_id, lines)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING idempotency_key
    """;

  private record Request(String key, String hash, UUID orderId, JsonArray lines) {
  }

  private final KeyedBatches<Request> inserts;

  RequestWriter(Pool pool) {
    this.inserts = new KeyedBatches<>(2, Request::key, batch -> KeyedBatches.returnedKeys(pool, CLAIM, Tuple.of(
      batch.stream().map(Request::key).toArray(String[]::new),
      batch.stream().map(Request::hash).toArray(String[]::new),
      batch.stream().map(Request::orderId).toArray(UUID[]::new),
      batch.stream().map(r -> r.lines().encode()).toArray(String[]::new))));
  }

  /** True when stored as reserving; false when the key was taken (by an earlier request, or this one twice at once). */
  Future<Boolean> claim(String key, String hash, UUID orderId, JsonArray lines) {
    return inserts.write(new Request(key, hash, orderId, lines));
  }
}
