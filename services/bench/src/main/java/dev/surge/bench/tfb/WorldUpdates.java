package dev.surge.bench.tfb;

import io.vertx.sqlclient.Tuple;

import java.util.Map;
import java.util.TreeMap;

/**
 * One UPDATE for all the rows of a request (allowed by the rules), ids in ascending order so that concurrent
 * requests lock rows in the same order and cannot deadlock.
 */
final class WorldUpdates {

  private static final String[] SQL = new String[Tfb.MAX_QUERIES + 1];

  private WorldUpdates() {
  }

  static String sql(int rows) {
    String sql = SQL[rows];
    if (sql == null) {
      StringBuilder sb = new StringBuilder("UPDATE world SET randomnumber = v.r FROM (VALUES ");
      for (int i = 0; i < rows; i++) {
        sb.append(i == 0 ? "" : ", ").append("($").append(2 * i + 1).append("::int, $").append(2 * i + 2).append("::int)");
      }
      sql = sb.append(") AS v(id, r) WHERE world.id = v.id").toString();
      SQL[rows] = sql;
    }
    return sql;
  }

  static Tuple parameters(Map<Integer, Integer> newNumbers) {
    Tuple tuple = Tuple.tuple();
    new TreeMap<>(newNumbers).forEach((id, number) -> tuple.addInteger(id).addInteger(number));
    return tuple;
  }
}
