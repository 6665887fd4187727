package dev.surge.orders.placement;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * Stores the answers of requests refused from memory (a product known sold out), in batches ({@link
 * KeyedBatches}): after a flash sale sells out nearly every request is one. The commit does not wait for the WAL
 * flush: a refusal lost in a database crash costs only a retry decided afresh, since no stock and no order go
 * with it.
 */
final class RefusalWriter {

  private static final String STORE = """
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)),
    refused AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::int[], $6::text[])
        AS r(idempotency_key, request_hash, order_id, lines, response_status, response_body))
    INSERT INTO order_requests (idempotency_key, request_hash, order_id, lines, state, response_status, response_body)
    SELECT idempotency_key, request_hash, order_id, lines::jsonb, 'answered', response_status, response_body::jsonb
    FROM refused, relaxed
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING idempotency_key
    """;

  private record Refusal(String key, String hash, UUID orderId, JsonArray lines, int status, JsonObject body) {
  }

  private final KeyedBatches<Refusal> inserts;

  RefusalWriter(Pool pool) {
    // One statement at a time per event loop: refusals come by the thousand a second, and PostgreSQL spends less
    // on a few large inserts than on many small ones side by side (measured: twice the refusals a second).
    this.inserts = new KeyedBatches<>(1, Refusal::key, batch -> KeyedBatches.returnedKeys(pool, STORE, Tuple.of(
      batch.stream().map(Refusal::key).toArray(String[]::new),
      batch.stream().map(Refusal::hash).toArray(String[]::new),
      batch.stream().map(Refusal::orderId).toArray(UUID[]::new),
      batch.stream().map(r -> r.lines().encode()).toArray(String[]::new),
      batch.stream().map(Refusal::status).toArray(Integer[]::new),
      batch.stream().map(r -> r.body().encode()).toArray(String[]::new))));
  }

  /** True when stored; false when the key was taken (by an earlier request, or the same one sent twice at once). */
  Future<Boolean> store(String key, String hash, UUID orderId, JsonArray lines, int status, JsonObject body) {
    return inserts.write(new Refusal(key, hash, orderId, lines, status, body));
  }
}
