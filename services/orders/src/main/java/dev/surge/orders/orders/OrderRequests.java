package dev.surge.orders.orders;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The idempotency store of order requests, and the only code that writes {@code order_requests}. A request's row is
 * stored before any of its stock is reserved, as reserving: it holds the key, a hash of the request, and the lines
 * to give back if the process dies before the request is answered (what the sweeper finds). Once answered it holds
 * the outcome a retry with the same key gets again: the order as placed, or the line refused and why. A request
 * the catalog could not serve is forgotten, so that a retry is decided afresh.
 *
 * <p>{@code response_status} says which outcome a row holds (201 placed, 409 refused, null unanswered), as it has
 * since the first rows were written.
 *
 * <p>Claims and refusals from memory come by the thousand a second in a flash sale: each is written in batches
 * ({@link KeyedBatches}), one flush for many, and its caller hears only once it is on disk. One instance per
 * event loop, like {@link KeyedBatches}.
 */
public final class OrderRequests {

  private static final String CLAIM = """
    INSERT INTO order_requests (idempotency_key, request_hash, order_id, lines, state)
    SELECT idempotency_key, request_hash, order_id, lines::jsonb, 'reserving'
    FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[]) AS r(idempotency_key, request_hash, order_id, lines)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING idempotency_key
    """;
  /** A refusal from memory is a compact row: the refused line and the request id, no lines, no order id. */
  private static final String REFUSE_FROM_MEMORY = """
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
  private static final String FIND = """
    SELECT request_hash, order_id, response_status, response_body, refused_line, refusal_reason, refusal_detail,
           refusal_remaining, refusal_request_id
    FROM order_requests
    WHERE idempotency_key = $1
    """;
  private static final String ANSWER_PLACED = """
    UPDATE order_requests r SET state = 'answered', response_status = 201, response_body = p.body::json
    FROM unnest($1::text[], $2::text[], $3::uuid[]) AS p(idempotency_key, body, order_id)
    WHERE r.idempotency_key = p.idempotency_key AND r.order_id = p.order_id AND r.state = 'reserving'
    RETURNING r.idempotency_key
    """;
  private static final String ANSWER_REFUSED = """
    UPDATE order_requests SET state = 'answered', response_status = 409, refused_line = $2, refusal_reason = $3,
                              refusal_detail = $4, refusal_remaining = $5, refusal_request_id = $6
    WHERE idempotency_key = $1 AND order_id = $7 AND state = 'reserving'
    """;
  private static final String FORGET =
    "DELETE FROM order_requests WHERE idempotency_key = $1 AND order_id = $2 AND state = 'reserving'";
  private static final String TAKE_ABANDONED = """
    DELETE FROM order_requests WHERE idempotency_key IN (
      SELECT idempotency_key FROM order_requests
      WHERE response_status IS NULL AND state = 'reserving'
        AND created_at < now() - $1::bigint * interval '1 millisecond'
      ORDER BY created_at LIMIT 100
      FOR UPDATE SKIP LOCKED)
    RETURNING idempotency_key, order_id, lines
    """;

  /**
   * Why a line was refused (the catalog's reason, as its slug, its words and the stock remaining), and the request
   * whose answer said so: a retry is answered with the same words and the same request id. {@code reason} is null
   * for a refusal from memory, which only knew the product was gone.
   */
  public record Refusal(int line, String reason, String detail, Integer remaining, String requestId) {
  }

  /** How answers stored before schema version 6 began their detail, before the catalog's words. */
  private static final Pattern LEGACY_DETAIL = Pattern.compile("Line \\d+ \\(product \\d+, quantity \\d+\\): (.*)",
    Pattern.DOTALL);

  /**
   * A request as stored: unanswered (reserving), or answered with the order placed or the line refused.
   * {@code orderId} is the order its claim was for (null for a refusal from memory): a request that ends and a
   * retry with the same key that claims it afresh have different ones.
   */
  public record Stored(String hash, UUID orderId, boolean answered, JsonObject placedOrder, Refusal refusal) {
  }

  /** A request stored as reserving whose process never answered it; what it may have reserved must go back. */
  public record Abandoned(String key, UUID orderId, JsonArray lines) {
  }

  private record Claim(String key, String hash, UUID orderId, JsonArray lines) {
  }

  private record MemoryRefusal(String key, String hash, short line, String requestId) {
  }

  private final Pool pool;
  private final SqlClient reads;
  private final KeyedBatches<Claim> claims;
  private final KeyedBatches<MemoryRefusal> memoryRefusals;

  /**
   * @param pool  the writes, batched: each waits for its commit to reach the disk, and on a pipelined connection
   *              the statements behind it would wait with it (measured: a flash sale placed fewer orders a second)
   * @param reads the service's pipelined client, for the lookups of replays
   */
  public OrderRequests(Pool pool, SqlClient reads) {
    this.pool = pool;
    this.reads = reads;
    this.claims = new KeyedBatches<>(2, Claim::key, KeyedBatches.on(pool, false, (client, batch) ->
      KeyedBatches.returnedKeys(client, CLAIM, Tuple.of(
        batch.stream().map(Claim::key).toArray(String[]::new),
        batch.stream().map(Claim::hash).toArray(String[]::new),
        batch.stream().map(Claim::orderId).toArray(UUID[]::new),
        batch.stream().map(c -> c.lines().encode()).toArray(String[]::new)))));
    // One statement at a time per event loop: refusals come by the thousand a second, and PostgreSQL spends less
    // on a few large inserts than on many small ones side by side (measured: twice the refusals a second). The
    // batch is the group commit: durability costs a batch of 50 about a third of the refusals a second that could
    // be stored without it, a batch of 200 almost nothing (docs/BENCHMARKS.md).
    this.memoryRefusals = new KeyedBatches<>(1, MemoryRefusal::key, KeyedBatches.on(pool, false, (client, batch) ->
      KeyedBatches.returnedKeys(client, REFUSE_FROM_MEMORY, Tuple.of(
        batch.stream().map(MemoryRefusal::key).toArray(String[]::new),
        batch.stream().map(MemoryRefusal::hash).toArray(String[]::new),
        batch.stream().map(MemoryRefusal::line).toArray(Short[]::new),
        batch.stream().map(MemoryRefusal::requestId).toArray(String[]::new)))));
  }

  /**
   * Stores the request as reserving, with the lines it is about to reserve. True when stored; false when the key was
   * taken (by an earlier request, or this one sent twice at once). Not written at all past {@code deadlineNanos}
   * ({@link KeyedBatches.NotWritten}).
   */
  public Future<Boolean> claim(String key, String hash, UUID orderId, JsonArray lines, long deadlineNanos) {
    return claims.write(new Claim(key, hash, orderId, lines), deadlineNanos, () -> { });
  }

  /**
   * Stores the request as refused from memory (a product known sold out), without claiming it first: it reserves
   * nothing. True when stored; false when the key was taken. Not written at all past {@code deadlineNanos}.
   */
  public Future<Boolean> refuseFromMemory(String key, String hash, int line, String requestId, long deadlineNanos) {
    return memoryRefusals.write(new MemoryRefusal(key, hash, (short) line, requestId), deadlineNanos, () -> { });
  }

  /** The request stored under this key, or null. */
  public Future<Stored> find(String key) {
    return reads.preparedQuery(FIND).execute(Tuple.of(key)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      String hash = row.getString("request_hash");
      UUID orderId = row.getUUID("order_id");
      Integer status = row.getInteger("response_status");
      if (status == null) {
        return new Stored(hash, orderId, false, null, null);
      }
      if (status == 201) {
        return new Stored(hash, orderId, true, row.getJsonObject("response_body"), null);
      }
      Integer line = row.getInteger("refused_line");
      Refusal refusal = line != null
        ? new Refusal(line, row.getString("refusal_reason"), row.getString("refusal_detail"),
            row.getInteger("refusal_remaining"), row.getString("refusal_request_id"))
        : legacyRefusal(row.getJsonObject("response_body"));
      return new Stored(hash, orderId, true, null, refusal);
    });
  }

  /**
   * A refusal stored as its HTTP answer, by a replica older than schema version 6 (V6 moved those it found, but an
   * old replica still serving during a rolling upgrade writes more).
   */
  private static Refusal legacyRefusal(JsonObject answer) {
    String detail = answer.getString("detail", "");
    Matcher words = LEGACY_DETAIL.matcher(detail);
    return new Refusal(answer.getInteger("line", 0), answer.getString("reason"),
      words.matches() ? words.group(1) : detail, answer.getInteger("remaining"), answer.getString("requestId"));
  }

  /**
   * Answers requests with their orders, as placed, within the caller's transaction; returns the keys answered. A
   * request no longer reserving (the sweeper gave its stock back), or claimed since for another order (a retry with
   * the same key, after the sweep), is not.
   */
  public Future<Set<String>> answerPlaced(SqlClient tx, List<String> keys, List<JsonObject> orders,
                                          List<UUID> orderIds) {
    return KeyedBatches.returnedKeys(tx, ANSWER_PLACED, Tuple.tuple().addArrayOfString(keys.toArray(String[]::new))
      .addArrayOfString(orders.stream().map(JsonObject::encode).toArray(String[]::new))
      .addArrayOfUUID(orderIds.toArray(UUID[]::new)));
  }

  /** Answers a reserving request, claimed for {@code orderId}, with a refused line. */
  public Future<Void> answerRefused(SqlClient client, String key, UUID orderId, Refusal refusal) {
    return client.preparedQuery(ANSWER_REFUSED).execute(Tuple.of(key, refusal.line(), refusal.reason(),
      refusal.detail(), refusal.remaining(), refusal.requestId(), orderId)).mapEmpty();
  }

  /**
   * Drops a reserving request, claimed for {@code orderId}, unanswered, so that a retry is decided afresh; true
   * when it did. False when it is no longer reserving (answered: an order stored, a line refused) or no longer there
   * (swept; perhaps claimed again since, for another order). A transaction answering it holds its row until it
   * ends, and this waits for that, so false is final.
   */
  public Future<Boolean> forget(SqlClient tx, String key, UUID orderId) {
    return tx.preparedQuery(FORGET).execute(Tuple.of(key, orderId)).map(rows -> rows.rowCount() > 0);
  }

  /**
   * Drops up to 100 requests reserving for longer than {@code olderThanMs}, oldest first, and returns them; rows
   * another sweeper holds are skipped.
   */
  public Future<List<Abandoned>> takeAbandoned(SqlClient tx, long olderThanMs) {
    return tx.preparedQuery(TAKE_ABANDONED).execute(Tuple.of(olderThanMs)).map(rows -> {
      List<Abandoned> taken = new ArrayList<>();
      rows.forEach(row -> taken.add(new Abandoned(row.getString("idempotency_key"), row.getUUID("order_id"),
        (JsonArray) row.getValue("lines"))));
      return taken;
    });
  }
}
