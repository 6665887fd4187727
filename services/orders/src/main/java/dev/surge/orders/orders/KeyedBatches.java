package dev.surge.orders.orders;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes keyed by idempotency key (or order id), many per statement: what arrives while {@code maxInFlight}
 * writes run goes in the next, so an idle service writes each at once and a busy one pays one statement (and one
 * WAL flush) for hundreds. The write takes the batch and returns the keys it wrote (an insert with
 * {@code ON CONFLICT DO NOTHING}, an update that found its row); each caller learns whether its own went in. The
 * same key twice in one batch is written once, and the second caller is told it was not.
 *
 * <p>One instance per event loop (an HTTP instance's, a job runner's); its state is touched only there.
 */
public final class KeyedBatches<T> {

  static final int MAX_BATCH = 500;

  private record Waiting<T>(T row, Promise<Boolean> inserted, List<Promise<Boolean>> sameKey) {
  }

  private final int maxInFlight;
  private final Function<T, String> key;
  private final Function<List<T>, Future<Set<String>>> write;
  private final Map<String, Waiting<T>> waiting = new LinkedHashMap<>();
  private int inFlight;

  public KeyedBatches(int maxInFlight, Function<T, String> key, Function<List<T>, Future<Set<String>>> write) {
    this.maxInFlight = maxInFlight;
    this.key = key;
    this.write = write;
  }

  /** True when the row was written; false when it was not (its key was there already, its row was gone). */
  public Future<Boolean> write(T row) {
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
    write.apply(batch.stream().map(Waiting::row).toList()).onComplete(ar -> {
      if (ar.succeeded()) {
        Set<String> written = ar.result();
        batch.forEach(w -> w.inserted().complete(written.contains(key.apply(w.row()))));
      } else {
        batch.forEach(w -> w.inserted().fail(ar.cause()));
      }
      batch.forEach(w -> w.sameKey().forEach(p -> p.complete(false)));
      inFlight--;
      send();
    });
  }

  /** Runs {@code sql} and returns the first column of its rows: the keys a batch wrote. */
  public static Future<Set<String>> returnedKeys(io.vertx.sqlclient.SqlClient client, String sql, io.vertx.sqlclient.Tuple params) {
    return client.preparedQuery(sql).execute(params).map(rows -> {
      Set<String> keys = new java.util.HashSet<>();
      rows.forEach(row -> keys.add(row.getValue(0).toString()));
      return keys;
    });
  }
}
