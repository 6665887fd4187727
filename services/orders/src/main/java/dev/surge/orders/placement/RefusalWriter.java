package dev.surge.orders.placement;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Stores the answers of requests refused from memory (a product known sold out), many per statement: after a
 * flash sale sells out, nearly every request is one, and one insert each would make PostgreSQL's per-statement
 * cost the ceiling of how fast they are turned away. Refusals that arrive while {@link #MAX_IN_FLIGHT} statements
 * run go in the next, so an idle service stores each at once. The commit does not wait for the WAL flush: a refusal lost in a crash
 * costs only a retry decided afresh.
 *
 * <p>One writer per HTTP instance; its state is touched only on that instance's event loop.
 */
final class RefusalWriter {

  static final int MAX_BATCH = 500;
  /** Statements in flight at once: a batch waits on the database more than on this event loop. */
  static final int MAX_IN_FLIGHT = 4;

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

  /** {@code sameKey}: the same key sent again while this one waited; told false once this one is stored. */
  private record Refusal(String key, String hash, UUID orderId, JsonArray lines, int status, JsonObject body,
                         Promise<Boolean> stored, List<Promise<Boolean>> sameKey) {
  }

  private final Pool pool;
  private final Map<String, Refusal> waiting = new LinkedHashMap<>();
  private int inFlight;

  RefusalWriter(Pool pool) {
    this.pool = pool;
  }

  /** True when stored; false when the key was taken (by an earlier request, or the same one sent twice at once). */
  Future<Boolean> store(String key, String hash, UUID orderId, JsonArray lines, int status, JsonObject body) {
    Promise<Boolean> stored = Promise.promise();
    Refusal first = waiting.get(key);
    if (first != null) {
      first.sameKey().add(stored);
    } else {
      waiting.put(key, new Refusal(key, hash, orderId, lines, status, body, stored, new ArrayList<>()));
    }
    if (inFlight < MAX_IN_FLIGHT) {
      send();
    }
    return stored.future();
  }

  private void send() {
    if (waiting.isEmpty()) {
      return;
    }
    List<Refusal> batch = new ArrayList<>();
    var it = waiting.values().iterator();
    while (it.hasNext() && batch.size() < MAX_BATCH) {
      batch.add(it.next());
      it.remove();
    }
    inFlight++;
    Tuple params = Tuple.of(
      batch.stream().map(Refusal::key).toArray(String[]::new),
      batch.stream().map(Refusal::hash).toArray(String[]::new),
      batch.stream().map(Refusal::orderId).toArray(UUID[]::new),
      batch.stream().map(r -> r.lines().encode()).toArray(String[]::new),
      batch.stream().map(Refusal::status).toArray(Integer[]::new),
      batch.stream().map(r -> r.body().encode()).toArray(String[]::new));
    pool.preparedQuery(STORE).execute(params).onComplete(ar -> {
      if (ar.succeeded()) {
        Set<String> inserted = new HashSet<>();
        for (Row row : ar.result()) {
          inserted.add(row.getString(0));
        }
        batch.forEach(r -> r.stored().complete(inserted.contains(r.key())));
      } else {
        batch.forEach(r -> r.stored().fail(ar.cause()));
      }
      batch.forEach(r -> r.sameKey().forEach(p -> p.complete(false)));
      inFlight--;
      send();
    });
  }
}
