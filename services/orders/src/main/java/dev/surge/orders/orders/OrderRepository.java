package dev.surge.orders.orders;

import dev.surge.ServiceContext;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
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

/**
 * Orders and order requests in PostgreSQL; every change that must give stock back enqueues that in its transaction,
 * and while {@code orders.webhookUrl} is set every change of an order's state records its event there too
 * ({@link OrderEvents}).
 */
public final class OrderRepository {

  private static final String FIND_REQUEST = """
    SELECT request_hash, state, response_status, response_body, order_id, refused_line, refusal_request_id
    FROM order_requests
    WHERE idempotency_key = $1
    """;
  /**
   * Orders, each only if its request is still reserving, with the requests' answers (their order as JSON), in
   * one statement for a whole batch.
   */
  private static final String INSERT_ORDERS = """
    WITH placed AS (
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
        AS p(id, customer_id, lines, idempotency_key, body, created_at)),
    answered AS (
      UPDATE order_requests r SET state = 'answered', response_status = 201, response_body = p.body::jsonb
      FROM placed p WHERE r.idempotency_key = p.idempotency_key AND r.state = 'reserving'
      RETURNING r.idempotency_key)
    INSERT INTO orders (id, customer_id, status, lines, idempotency_key, created_at, updated_at)
    SELECT p.id, p.customer_id, 'pending', p.lines::jsonb, p.idempotency_key, p.created_at, p.created_at
    FROM placed p JOIN answered a ON a.idempotency_key = p.idempotency_key
    RETURNING id, idempotency_key
    """;
  private static final String ANSWER_REQUEST = """
    UPDATE order_requests SET state = 'answered', response_status = $2, response_body = $3
    WHERE idempotency_key = $1 AND state = 'reserving'
    """;
  private static final String FORGET_REQUEST =
    "DELETE FROM order_requests WHERE idempotency_key = $1 AND state = 'reserving'";
  private static final String GET = "SELECT " + Order.COLUMNS + " FROM orders WHERE id = $1";
  private static final String LIST = "SELECT " + Order.COLUMNS + " FROM orders "
    + "WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3";
  private static final String CANCEL = "UPDATE orders SET status = 'cancelled', cancelled_at = now(), updated_at = now() "
    + "WHERE id = $1 AND status IN ('pending', 'confirmed') RETURNING " + Order.COLUMNS;
  private static final String CONFIRM_ALL = "UPDATE orders SET status = 'confirmed', confirmed_at = now(), "
    + "updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'pending' RETURNING id";
  private static final String CONFIRM_ALL_ORDERS = "UPDATE orders SET status = 'confirmed', confirmed_at = now(), "
    + "updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'pending' RETURNING " + Order.COLUMNS;
  private static final String STALE_REQUESTS = """
    SELECT idempotency_key, order_id, lines FROM order_requests
    WHERE response_status IS NULL AND state = 'reserving' AND created_at < now() - $1::bigint * interval '1 millisecond'
    ORDER BY created_at LIMIT 100
    FOR UPDATE SKIP LOCKED
    """;

  /** A request as first stored: its hash, and its answer once it has one. */
  /**
   * A request as stored. A refusal from memory has no body: {@code refusedLine} and {@code refusalRequestId} say
   * how to rebuild it.
   */
  public record StoredRequest(String hash, boolean answered, Integer status, JsonObject body, UUID orderId,
                              Integer refusedLine, String refusalRequestId) {
  }

  private final Pool pool;
  private final JobQueue jobs;
  private final boolean events;

  /** @param events whether the orders' changes are recorded, for a webhook to hear ({@code orders.webhookUrl} set) */
  public OrderRepository(ServiceContext context, boolean events) {
    this.pool = context.pg();
    this.jobs = context.jobs();
    this.events = events;
  }

  public Future<StoredRequest> findRequest(String key) {
    return pool.preparedQuery(FIND_REQUEST).execute(Tuple.of(key)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new StoredRequest(row.getString("request_hash"), "answered".equals(row.getString("state")),
        row.getInteger("response_status"), row.getJsonObject("response_body"), row.getUUID("order_id"),
        row.getInteger("refused_line"), row.getString("refusal_request_id"));
    });
  }

  /** An order to store, under its request's idempotency key. */
  public record Placement(String key, Order order) {
  }

  /**
   * In one transaction, for a batch: the orders, their requests' answers (each order as JSON), and the jobs that
   * fulfil them. Returns the keys placed; a request no longer reserving (the sweeper gave its stock back) is not.
   */
  public Future<Set<String>> placeAll(List<Placement> batch) {
    Tuple params = Tuple.of(
      batch.stream().map(p -> p.order().id()).toArray(UUID[]::new),
      batch.stream().map(p -> p.order().customerId()).toArray(String[]::new),
      batch.stream().map(p -> p.order().lines().encode()).toArray(String[]::new),
      batch.stream().map(Placement::key).toArray(String[]::new),
      batch.stream().map(p -> p.order().toJson().encode()).toArray(String[]::new),
      batch.stream().map(p -> p.order().createdAt().atOffset(java.time.ZoneOffset.UTC))
        .toArray(java.time.OffsetDateTime[]::new));
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT_ORDERS).execute(params).compose(rows -> {
      Set<String> placed = new java.util.HashSet<>();
      List<JobRequest> fulfil = new ArrayList<>();
      for (Row row : rows) {
        placed.add(row.getString("idempotency_key"));
        fulfil.add(OrderJobs.fulfil(row.getUUID("id")));
      }
      if (fulfil.isEmpty()) {
        return Future.succeededFuture(placed);
      }
      Future<Void> recorded = !events ? Future.succeededFuture() : OrderEvents.record(tx, jobs, OrderEvents.PLACED,
        batch.stream().filter(p -> placed.contains(p.key())).map(Placement::order).toList());
      return recorded.compose(v -> jobs.enqueueAll(tx, fulfil)).map(placed);
    }));
  }

  /** The request answered without an order (a 409): what it reserved goes back. */
  public Future<Void> reject(String key, int status, JsonObject body, UUID orderId, JsonArray reserved) {
    if (reserved.isEmpty()) { // flushed before the 409 goes out, like every answer: a retry must get the same
      return pool.preparedQuery(ANSWER_REQUEST).execute(Tuple.of(key, status, body)).mapEmpty();
    }
    return pool.withTransaction(tx -> tx.preparedQuery(ANSWER_REQUEST).execute(Tuple.of(key, status, body))
      .compose(v -> release(tx, orderId, reserved)));
  }

  /**
   * The request is dropped unanswered (the catalog did not answer: a retry may succeed), and everything it may
   * have reserved goes back.
   */
  public Future<Void> forget(String key, UUID orderId, JsonArray lines) {
    return pool.withTransaction(tx -> tx.preparedQuery(FORGET_REQUEST).execute(Tuple.of(key))
      .compose(v -> release(tx, orderId, lines)));
  }

  public Future<Order> get(UUID id) {
    return pool.preparedQuery(GET).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? null : Order.of(rows.iterator().next()));
  }

  public Future<List<Order>> list(String customerId, Long beforeSeq, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(customerId, beforeSeq, limit)).map(rows -> {
      List<Order> orders = new ArrayList<>();
      rows.forEach(row -> orders.add(Order.of(row)));
      return orders;
    });
  }

  /** Cancels a pending or confirmed order and, in the same transaction, schedules its stock's return; null if not. */
  public Future<Order> cancel(UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery(CANCEL).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Order order = Order.of(rows.iterator().next());
      Future<Void> recorded = !events ? Future.succeededFuture()
        : OrderEvents.record(tx, jobs, OrderEvents.CANCELLED, List.of(order));
      return recorded.compose(v -> release(tx, id, order.lines())).map(order);
    }));
  }

  /**
   * Confirms pending orders of a batch in one statement (with their events, in one transaction); returns the ids
   * confirmed. An order cancelled first stays cancelled.
   */
  public Future<Set<String>> confirmAll(List<UUID> ids) {
    Tuple params = Tuple.of((Object) ids.toArray(UUID[]::new));
    if (!events) {
      return KeyedBatches.returnedKeys(pool, CONFIRM_ALL, params);
    }
    return pool.withTransaction(tx -> tx.preparedQuery(CONFIRM_ALL_ORDERS).execute(params).compose(rows -> {
      List<Order> confirmed = new ArrayList<>();
      rows.forEach(row -> confirmed.add(Order.of(row)));
      return OrderEvents.record(tx, jobs, OrderEvents.CONFIRMED, confirmed)
        .map(v -> confirmed.stream().map(o -> o.id().toString()).collect(java.util.stream.Collectors.toSet()));
    }));
  }

  /**
   * Requests reserving for longer than {@code olderThanMs}: each is deleted and its reservations scheduled to go
   * back, in one transaction. Returns how many.
   */
  public Future<Integer> sweep(long olderThanMs) {
    return pool.withTransaction(tx -> tx.preparedQuery(STALE_REQUESTS).execute(Tuple.of(olderThanMs)).compose(rows -> {
      Future<Void> chain = Future.succeededFuture();
      for (Row row : rows) {
        String key = row.getString("idempotency_key");
        UUID orderId = row.getUUID("order_id");
        JsonArray lines = (JsonArray) row.getValue("lines");
        chain = chain.compose(v -> tx.preparedQuery(FORGET_REQUEST).execute(Tuple.of(key)))
          .compose(v -> release(tx, orderId, lines));
      }
      return chain.map(rows.size());
    }));
  }

  private Future<Void> release(SqlClient tx, UUID orderId, JsonArray lines) {
    return jobs.enqueue(tx, OrderJobs.release(orderId, lines)).mapEmpty();
  }

}
