package dev.surge.orders.orders;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A stored order. Its lines are {@code productId}, {@code quantity} and the {@code reservationId} its stock was
 * reserved under (not shown to clients); {@code traceId} is the trace of the request that placed it, when that trace
 * was kept (tracing.enabled), else null.
 */
public record Order(UUID id, long seq, String customerId, String status, JsonArray lines, Instant createdAt,
                    Instant updatedAt, Instant confirmedAt, Instant cancelledAt, String traceId) {

  static final String COLUMNS =
    "id, seq, customer_id, status, lines, created_at, updated_at, confirmed_at, cancelled_at, trace_id";

  static Order of(Row row) {
    return new Order(row.getUUID("id"), row.getLong("seq"), row.getString("customer_id"), row.getString("status"),
      (JsonArray) row.getValue("lines"), instant(row, "created_at"), instant(row, "updated_at"),
      instant(row, "confirmed_at"), instant(row, "cancelled_at"), row.getString("trace_id"));
  }

  public JsonObject toJson() {
    JsonArray shown = new JsonArray();
    lines.forEach(l -> {
      JsonObject line = (JsonObject) l;
      shown.add(new JsonObject().put("productId", line.getLong("productId")).put("quantity", line.getInteger("quantity")));
    });
    JsonObject json = new JsonObject()
      .put("id", id.toString())
      .put("customerId", customerId)
      .put("status", status)
      .put("lines", shown)
      .put("createdAt", createdAt.toString())
      .put("updatedAt", updatedAt.toString());
    if (confirmedAt != null) {
      json.put("confirmedAt", confirmedAt.toString());
    }
    if (cancelledAt != null) {
      json.put("cancelledAt", cancelledAt.toString());
    }
    if (traceId != null) {
      json.put("traceId", traceId);
    }
    return json;
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
