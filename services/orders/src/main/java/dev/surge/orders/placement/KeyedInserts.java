package dev.surge.orders.placement;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Rows keyed by idempotency key, inserted many per statement: what arrives while {@code maxInFlight} statements
 * run goes in the next, so an idle service inserts each at once and a busy one pays one statement (and one WAL
 * flush) for hundreds. The statement takes the batch as arrays, inserts with {@code ON CONFLICT DO NOTHING} and
 * returns the keys it inserted; each caller learns whether its row went in. The same key twice in one batch goes
 * in once, and the second caller is told it did not.
 *
 * <p>One instance per HTTP instance; its state is touched only on that instance's event loop.
 */
final class KeyedInserts<T> {

  static final int MAX_BATCH = 500;

  private record Waiting<T>(T row, Promise<Boolean> inserted, List<Promise<Boolean>> sameKey) {
  }

  private final Pool pool;
  private final String sql;
  private final int maxInFlight;
  private final Function<T, String> key;
  private final Function<List<T>, Tuple> params;
  private final Map<String, Waiting<T>> waiting = new LinkedHashMap<>();
  private int inFlight;

  KeyedInserts(Pool pool, String sql, int maxInFlight, Function<T, String> key, Function<List<T>, Tuple> params) {
    this.pool = pool;
    this.sql = sql;
    this.maxInFlight = maxInFlight;
    this.key = key;
    this.params = params;
  }

  /** True when the row was inserted; false when its key was there already. */
  Future<Boolean> insert(T row) {
    Promise<Boolean> inserted = Promise.promise();
    Waiting<T> first = waiting.get(key.apply(row));
    if (first != null) {
      first.sameKey().add(inserted);
    } else {
      waiting.put(key.apply(row), new Waiting<>(row, inserted, new ArrayList<>()));
    }
    if (inFlight < maxInFlight) {
      send();
    }
    return inserted.future();
  }

  private void send() {
    if (waiting.isEmpty()) {
      return;
    }
    List<Waiting<T>> batch = new ArrayList<>();
    var it = waiting.values().iterator();
    while (it.hasNext() && batch.size() < MAX_BATCH) {
      batch.add(it.next());
      it.remove();
    }
    inFlight++;
    pool.preparedQuery(sql).execute(params.apply(batch.stream().map(Waiting::row).toList())).onComplete(ar -> {
      if (ar.succeeded()) {
        Set<String> inserted = new HashSet<>();
        for (Row row : ar.result()) {
          inserted.add(row.getString(0));
        }
        batch.forEach(w -> w.inserted().complete(inserted.contains(key.apply(w.row()))));
      } else {
        batch.forEach(w -> w.inserted().fail(ar.cause()));
      }
      batch.forEach(w -> w.sameKey().forEach(p -> p.complete(false)));
      inFlight--;
      send();
    });
  }
}
