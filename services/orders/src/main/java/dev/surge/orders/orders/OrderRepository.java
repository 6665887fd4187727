package dev.surge.orders.orders;

import dev.surge.pg.PostgresComponent;
import dev.surge.pg.JobsComponent;
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

  /** Orders, in one statement for a whole batch (their requests answered just before, in the transaction). */
  private static final String INSERT_ORDERS = """
    INSERT INTO orders (id, customer_id, status, lines, idempotency_key, created_at, updated_at, trace_id)
    SELECT p.id, p.customer_id, 'pending', p.lines::jsonb, p.idempotency_key, p.created_at, p.created_at, p.trace_id
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
      AS p(id, customer_id, lines, idempotency_key, created_at, trace_id)
    """;
  private static final String FORGET_LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";
  private static final String COUNT_PENDING = "SELECT count(*) FROM orders WHERE status = 'pending'";
  private static final String GET = "SELECT " + Order.COLUMNS + " FROM orders WHERE id = $1";
  private static final String LIST = "SELECT " + Order.COLUMNS + " FROM orders "
    + "WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3";
  private static final String CANCEL = "UPDATE orders SET status = 'cancelled', cancelled_at = now(), updated_at = now() "
    + "WHERE id = $1 AND status IN ('pending', 'confirmed') RETURNING " + Order.COLUMNS;
  private static final String CONFIRM_ALL = "UPDATE orders SET status = 'confirmed', confirmed_at = now(), "
    + "updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'pending' RETURNING id";
  private static final String CONFIRM_ALL_ORDERS = "UPDATE orders SET status = 'confirmed', confirmed_at = now(), "
    + "updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'pending' RETURNING " + Order.COLUMNS;
  /** Writes and transactions. */
  private final Pool pool;
  /** Reads, pipelined: those in flight together share a connection. */
  private final SqlClient client;
  private final JobQueue jobs;
  private final boolean events;
  private final OrderRequests requests;

  /** @param events whether the orders' changes are recorded, for a webhook to hear ({@code orders.webhookUrl} set) */
  public OrderRepository(ServiceContext context, boolean events) {
    this.pool = PostgresComponent.pool(context);
    this.client = PostgresComponent.client(context);
    this.jobs = JobsComponent.queue(context);
    this.events = events;
    this.requests = new OrderRequests(pool, client);
  }

  /** The requests that place orders: the idempotency store, which every change of a request here goes through. */
  public OrderRequests requests() {
    return requests;
  }

  /** An order to store, under its request's idempotency key. */
  /**
   * One request's order, with the trace of the request that placed it: the batch it is written in is shared, the
   * fulfilment job it enqueues joins this request's trace.
   */
  public record Placement(String key, Order order, String traceParent) {
    public Placement(String key, Order order) {
      this(key, order, JobRequest.currentTraceParent());
    }
  }

  /**
   * In one transaction, for a batch: the orders, their requests' answers (each order as JSON), and the jobs that
   * fulfil them. Returns the keys placed; a request no longer reserving (the sweeper gave its stock back) is not.
   * The placements past their deadline when the transaction begins are left out ({@link KeyedBatches}).
   */
  public Future<Set<String>> placeAll(KeyedBatches.Batch<Placement> placements) {
    return KeyedBatches.<Placement>on(pool, true, this::placeAll).apply(placements);
  }

  private Future<Set<String>> placeAll(SqlClient tx, List<Placement> batch) {
    return requests.answerPlaced(tx, batch.stream().map(Placement::key).toList(),
      batch.stream().map(p -> p.order().toJson()).toList(), batch.stream().map(p -> p.order().id()).toList()).compose(placed -> {
      List<Order> orders = batch.stream().filter(p -> placed.contains(p.key())).map(Placement::order).toList();
      if (orders.isEmpty()) {
        return Future.succeededFuture(placed);
      }
      Tuple params = Tuple.of(
        orders.stream().map(Order::id).toArray(UUID[]::new),
        orders.stream().map(Order::customerId).toArray(String[]::new),
        orders.stream().map(o -> o.lines().encode()).toArray(String[]::new),
        batch.stream().filter(p -> placed.contains(p.key())).map(Placement::key).toArray(String[]::new),
        orders.stream().map(o -> o.createdAt().atOffset(java.time.ZoneOffset.UTC))
          .toArray(java.time.OffsetDateTime[]::new),
        orders.stream().map(Order::traceId).toArray(String[]::new));
      List<JobRequest> fulfil = batch.stream().filter(p -> placed.contains(p.key()))
        .map(p -> OrderJobs.fulfil(p.order().id()).setTraceParent(p.traceParent())).toList();
      return tx.preparedQuery(INSERT_ORDERS).execute(params)
        .compose(v -> !events ? Future.succeededFuture() : OrderEvents.record(tx, jobs, OrderEvents.PLACED, orders,
          id -> batch.stream().filter(p -> p.order().id().equals(id)).findFirst().map(Placement::traceParent)
            .orElse(null))) // (findFirst() of a stream of nulls throws: the placement first, then its trace)
        .compose(v -> jobs.enqueueAll(tx, fulfil)).map(placed);
    });
  }

  /**
   * The request answered with a refused line, and {@code givenBack} released: what the other lines reserved, and any
   * line whose reservation may still be taken by a copy of its request on its way.
   */
  public Future<Void> reject(String key, OrderRequests.Refusal refusal, UUID orderId, JsonArray givenBack) {
    if (givenBack.isEmpty()) { // flushed before the 409 goes out, like every answer: a retry must get the same
      return requests.answerRefused(pool, key, orderId, refusal);
    }
    return pool.withTransaction(tx -> requests.answerRefused(tx, key, orderId, refusal)
      .compose(v -> release(tx, orderId, givenBack)));
  }

  /**
   * The request is dropped unanswered (the catalog did not answer, or the order could not be stored in time: a
   * retry may succeed), and everything it may have reserved goes back; true when it was. Nothing is, when the
   * request is no longer reserving: its order stored after all (a transaction thought lost that committed), its
   * line refused, or its stock already given back by the sweeper.
   */
  public Future<Boolean> forget(String key, UUID orderId, JsonArray lines) {
    // A transaction answering the request holds its row; one whose client is gone without a word may hold it until
    // PostgreSQL notices: this gives up after a while (and is asked again) rather than hold a connection that long.
    return pool.withTransaction(tx -> tx.query(FORGET_LOCK_TIMEOUT).execute()
      .compose(v -> requests.forget(tx, key, orderId))
      .compose(dropped -> !dropped ? Future.succeededFuture(false) : release(tx, orderId, lines).map(true)));
  }

  public Future<Order> get(UUID id) {
    return client.preparedQuery(GET).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? null : Order.of(rows.iterator().next()));
  }

  public Future<List<Order>> list(String customerId, Long beforeSeq, int limit) {
    return client.preparedQuery(LIST).execute(Tuple.of(customerId, beforeSeq, limit)).map(rows -> {
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
        : OrderEvents.record(tx, jobs, OrderEvents.CANCELLED, List.of(order), o -> JobRequest.currentTraceParent());
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
      // Confirmed in a batch of several attempts: their deliveries join no one attempt's trace.
      return OrderEvents.record(tx, jobs, OrderEvents.CONFIRMED, confirmed, id -> null)
        .map(v -> confirmed.stream().map(o -> o.id().toString()).collect(java.util.stream.Collectors.toSet()));
    }));
  }

  /** How many orders wait for their fulfilment (status pending), over the partial index {@code orders_pending}. */
  public Future<Long> countPending() {
    return client.query(COUNT_PENDING).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Requests reserving for longer than {@code olderThanMs}: each is deleted and its reservations scheduled to go
   * back, in one transaction. Returns how many.
   */
  public Future<Integer> sweep(long olderThanMs) {
    return pool.withTransaction(tx -> requests.takeAbandoned(tx, olderThanMs).compose(abandoned -> {
      Future<Void> chain = Future.succeededFuture();
      for (OrderRequests.Abandoned request : abandoned) {
        chain = chain.compose(v -> release(tx, request.orderId(), request.lines()));
      }
      return chain.map(abandoned.size());
    }));
  }

  private Future<Void> release(SqlClient tx, UUID orderId, JsonArray lines) {
    return jobs.enqueue(tx, OrderJobs.release(orderId, lines)).mapEmpty();
  }

}
