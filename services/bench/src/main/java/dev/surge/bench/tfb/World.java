package dev.surge.bench.tfb;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/** A row of the World table. */
public record World(int id, int randomNumber) {

  static World first(RowSet<Row> rows) {
    Row row = rows.iterator().next();
    return new World(row.getInteger(0), row.getInteger(1));
  }

  World withRandomNumber(int value) {
    return new World(id, value);
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("randomNumber", randomNumber);
  }
}
