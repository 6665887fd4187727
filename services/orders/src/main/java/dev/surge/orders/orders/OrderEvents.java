package dev.surge.orders.orders;

import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The webhook's outbox ({@code order_events}): each state change of an order, recorded in the transaction that made
 * it with the next number of its order and the order as it was after it, and an {@code order.notify} job in the
 * same transaction that delivers it ({@link NotifyWebhook}). The order's row, updated first in that transaction,
 * is locked until it commits, so the changes of one order are numbered in the order they happened.
 */
public final class OrderEvents {

  /** The change kinds, as posted. */
  public static final String PLACED = "placed";
  public static final String CONFIRMED = "confirmed";
  public static final String CANCELLED = "cancelled";

  private static final String RECORD = """
    INSERT INTO order_events (event_id, order_id, seq, type, body)
    SELECT gen_random_uuid(), e.order_id,
           COALESCE((SELECT max(p.seq) FROM order_events p WHERE p.order_id = e.order_id), 0) + 1, $2, e.body::jsonb
    FROM unnest($1::uuid[], $3::text[]) AS e(order_id, body)
    RETURNING order_id, seq
    """;
  private static final String UNDELIVERED = """
    SELECT event_id, order_id, seq, type, body, created_at FROM order_events
    WHERE order_id = $1 AND seq <= $2 AND delivered_at IS NULL
    ORDER BY seq
    """;
  private static final String DELIVERED =
    "UPDATE order_events SET delivered_at = now() WHERE event_id = $1 AND delivered_at IS NULL";

  /** A change as the webhook receives it. */
  public record Event(UUID eventId, UUID orderId, int seq, String type, JsonObject order, OffsetDateTime occurredAt) {

    public JsonObject toJson() {
      return new JsonObject().put("eventId", eventId.toString()).put("type", type).put("orderId", orderId.toString())
        .put("sequence", seq).put("occurredAt", occurredAt.toInstant().toString()).put("order", order);
    }
  }

  private final Pool pool;

  public OrderEvents(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records {@code type} for each order (as it is now) and enqueues its delivery, with {@code tx}; each delivery in
   * the trace {@code traceOf} gives its order (null: none. A batch is written for several requests: the trace
   * current while it is written is one of theirs, not each order's).
   */
  static Future<Void> record(SqlClient tx, JobQueue jobs, String type, List<Order> changed,
                             java.util.function.Function<UUID, String> traceOf) {
    if (changed.isEmpty()) {
      return Future.succeededFuture();
    }
    Tuple params = Tuple.of(changed.stream().map(Order::id).toArray(UUID[]::new), type,
      changed.stream().map(o -> o.toJson().encode()).toArray(String[]::new));
    return tx.preparedQuery(RECORD).execute(params).compose(rows -> {
      List<JobRequest> deliveries = new ArrayList<>();
      for (Row row : rows) {
        UUID order = row.getUUID("order_id");
        deliveries.add(OrderJobs.notify(order, row.getInteger("seq")).setTraceParent(traceOf.apply(order)));
      }
      return jobs.enqueueAll(tx, deliveries).mapEmpty();
    });
  }

  /** The order's changes up to {@code seq} not yet delivered, first first. */
  public Future<List<Event>> undelivered(UUID orderId, int seq) {
    return pool.preparedQuery(UNDELIVERED).execute(Tuple.of(orderId, seq)).map(rows -> {
      List<Event> events = new ArrayList<>();
      for (Row row : rows) {
        events.add(new Event(row.getUUID("event_id"), row.getUUID("order_id"), row.getInteger("seq"),
          row.getString("type"), row.getJsonObject("body"), row.getOffsetDateTime("created_at")));
      }
      return events;
    });
  }

  public Future<Void> delivered(UUID eventId) {
    return pool.preparedQuery(DELIVERED).execute(Tuple.of(eventId)).mapEmpty();
  }
}
