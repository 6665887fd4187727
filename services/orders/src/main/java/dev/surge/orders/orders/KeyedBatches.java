package dev.surge.orders.orders;

import dev.surge.tracing.CallerPromises;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Writes keyed by idempotency key (or order id), many per statement: what arrives while {@code maxInFlight}
 * writes run goes in the next, so an idle service writes each at once and a busy one pays one statement (and one
 * WAL flush) for hundreds. The write takes the batch and returns the keys it wrote (an insert with
 * {@code ON CONFLICT DO NOTHING}, an update that found its row); each caller learns whether its own went in. The
 * same key twice in one batch is written once, and the second caller is told it was not.
 *
 * <p>A row may carry a deadline: one still waiting when its write gets a connection past it is left out and fails
 * with {@link NotWritten} ({@linkplain NotWritten#late() late}), so that a caller answered "not in time" can be
 * sure its row never lands. A write that fails before it takes its rows (no connection) fails them with
 * {@link NotWritten} too; one that fails after may or may not have landed, and fails them with its own error.
 *
 * <p>One instance per event loop (an HTTP instance's, a job runner's); its state is touched only there.
 */
public final class KeyedBatches<T> {

  static final int MAX_BATCH = 500;
  private static final long NO_DEADLINE = Long.MAX_VALUE;

  /** The row was not written, for sure: too late ({@link #late()}), or the write failed before it took its rows. */
  public static final class NotWritten extends RuntimeException {

    private NotWritten(String message, Throwable cause) {
      super(message, cause, false, false);
    }

    /** Its deadline passed before its write held a connection. */
    public boolean late() {
      return getCause() == null;
    }
  }

  /**
   * The rows of one write. The write takes them once it holds its connection (or its transaction): rows past their
   * deadline by then are left out.
   */
  public static final class Batch<T> {

    private final List<Waiting<T>> waiting;
    private List<Waiting<T>> taken;

    private Batch(List<Waiting<T>> waiting) {
      this.waiting = waiting;
    }

    /** The rows still in time, now on their way to the database. Called once, by the write. */
    public List<T> take() {
      taken = dropLate(waiting);
      taken.forEach(w -> w.onSent().run());
      return taken.stream().map(Waiting::row).toList();
    }
  }

  /**
   * The rows still in time; those past their deadline fail, late (a caller with the same key is told its row was
   * not written by it, as when the first is: it replays whatever the key holds).
   */
  private static <T> List<Waiting<T>> dropLate(List<Waiting<T>> rows) {
    long now = System.nanoTime();
    List<Waiting<T>> inTime = new ArrayList<>(rows.size());
    for (Waiting<T> w : rows) {
      if (w.deadline() != NO_DEADLINE && now - w.deadline() >= 0) {
        w.inserted().fail(new NotWritten("Its deadline passed before it could be written", null));
        w.sameKey().forEach(p -> p.complete(false));
      } else {
        inTime.add(w);
      }
    }
    return inTime;
  }

  private record Waiting<T>(T row, long deadline, Runnable onSent, Promise<Boolean> inserted,
                            List<Promise<Boolean>> sameKey) {
  }

  private final int maxInFlight;
  private final Function<T, String> key;
  private final Function<Batch<T>, Future<Set<String>>> write;
  private final Map<String, Waiting<T>> waiting = new LinkedHashMap<>();
  private int inFlight;

  /** @param write writes a batch's rows, taken with {@link Batch#take()} once it holds its connection */
  public KeyedBatches(int maxInFlight, Function<T, String> key, Function<Batch<T>, Future<Set<String>>> write) {
    this.maxInFlight = maxInFlight;
    this.key = key;
    this.write = write;
  }

  /** True when the row was written; false when it was not (its key was there already, its row was gone). */
  public Future<Boolean> write(T row) {
    return write(row, NO_DEADLINE, () -> { });
  }

  /**
   * As {@link #write(Object)}, unless the row's write gets its connection at or past {@code deadlineNanos} (on
   * {@link System#nanoTime()}'s clock): then it is left out and fails with a {@linkplain NotWritten#late() late}
   * {@link NotWritten}. {@code onSent} runs when it is taken into a write.
   */
  public Future<Boolean> write(T row, long deadlineNanos, Runnable onSent) {
    Promise<Boolean> inserted = CallerPromises.promise(); // answered as the caller, not the batch
    Waiting<T> first = waiting.get(key.apply(row));
    if (first != null) {
      first.sameKey().add(inserted);
    } else {
      waiting.put(key.apply(row), new Waiting<>(row, deadlineNanos, onSent, inserted, new ArrayList<>()));
    }
    if (inFlight < maxInFlight) {
      send();
    }
    return inserted.future();
  }

  private void send() {
    List<Waiting<T>> rows = List.of();
    while (rows.isEmpty() && !waiting.isEmpty()) { // rows past their deadline already are not sent
      List<Waiting<T>> next = new ArrayList<>();
      var it = waiting.values().iterator();
      while (it.hasNext() && next.size() < MAX_BATCH) {
        next.add(it.next());
        it.remove();
      }
      rows = dropLate(next);
    }
    if (rows.isEmpty()) {
      return;
    }
    List<Waiting<T>> sent = rows;
    Batch<T> batch = new Batch<>(rows);
    inFlight++;
    write.apply(batch).onComplete(ar -> {
      if (batch.taken == null) { // failed before it took them: none was written
        NotWritten none = new NotWritten("The write failed before it was sent", ar.failed() ? ar.cause()
          : new IllegalStateException("A write succeeded without taking its rows"));
        sent.forEach(w -> w.inserted().fail(none));
        sent.forEach(w -> w.sameKey().forEach(p -> p.fail(none)));
      } else if (ar.succeeded()) {
        Set<String> written = ar.result();
        batch.taken.forEach(w -> w.inserted().complete(written.contains(key.apply(w.row()))));
        batch.taken.forEach(w -> w.sameKey().forEach(p -> p.complete(false)));
      } else {
        batch.taken.forEach(w -> w.inserted().fail(ar.cause()));
        batch.taken.forEach(w -> w.sameKey().forEach(p -> p.complete(false)));
      }
      inFlight--;
      send();
    });
  }

  /**
   * A batch's write on one connection of {@code pool}, in a transaction when {@code transaction} is true: the rows
   * are taken once it holds the connection, and a batch left with none writes nothing.
   */
  public static <T> Function<Batch<T>, Future<Set<String>>> on(Pool pool, boolean transaction,
                                                              BiFunction<SqlClient, List<T>, Future<Set<String>>> write) {
    return batch -> {
      Function<SqlClient, Future<Set<String>>> withRows = client -> {
        List<T> rows = batch.take();
        return rows.isEmpty() ? Future.succeededFuture(Set.of()) : write.apply(client, rows);
      };
      return transaction ? pool.withTransaction(withRows::apply) : pool.withConnection(withRows::apply);
    };
  }

  /** Runs {@code sql} and returns the first column of its rows: the keys a batch wrote. */
  public static Future<Set<String>> returnedKeys(SqlClient client, String sql, Tuple params) {
    return client.preparedQuery(sql).execute(params).map(rows -> {
      Set<String> keys = new HashSet<>();
      rows.forEach(row -> keys.add(row.getValue(0).toString()));
      return keys;
    });
  }
}
