package dev.surge.jobservice.reports;

import io.vertx.sqlclient.Tuple;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A named report that {@code report.export} can write: how to count its rows, how to read them a page at a time by
 * their id (the first column), and its CSV header.
 */
public enum Report {

  /** The catalog service's products (present only in a database the catalog migrated). */
  PRODUCTS("SELECT count(*) FROM products",
    "SELECT id, sku, name, price, currency, stock, created_at, updated_at FROM products WHERE id > $1 ORDER BY id LIMIT $2",
    List.of("id", "sku", "name", "price", "currency", "stock", "created_at", "updated_at"), false),

  /** A summary of the jobs service's own jobs in the durable job queue (not other services', as its API). */
  JOBS("SELECT count(*) FROM surge_jobs WHERE owner = $1",
    "SELECT id, type, queue, state, attempt, max_attempts, inserted_at, finished_at FROM surge_jobs"
      + " WHERE id > $1 AND owner = $3 ORDER BY id LIMIT $2",
    List.of("id", "type", "queue", "state", "attempt", "max_attempts", "inserted_at", "finished_at"), true);

  private final String reportName = name().toLowerCase(Locale.ROOT);
  private final String countSql;
  private final String pageSql;
  private final List<String> columns;
  private final boolean byOwner;

  Report(String countSql, String pageSql, List<String> columns, boolean byOwner) {
    this.countSql = countSql;
    this.pageSql = pageSql;
    this.columns = columns;
    this.byOwner = byOwner;
  }

  /** The name clients ask for, such as {@code products}. */
  public String reportName() {
    return reportName;
  }

  /** Counts the rows; $1 the owner, for a report of one service's rows. */
  public String countSql() {
    return countSql;
  }

  /** The parameters of {@link #countSql()} for a report made for {@code owner}. */
  public Tuple countParams(String owner) {
    return byOwner ? Tuple.of(owner) : Tuple.tuple();
  }

  /**
   * One page of rows, in id order: $1 the last id already read (0 first), $2 how many rows at most, $3 the owner
   * for a report of one service's rows.
   */
  public String pageSql() {
    return pageSql;
  }

  /** The parameters of {@link #pageSql()} for a report made for {@code owner}. */
  public Tuple pageParams(String owner, long after, int size) {
    return byOwner ? Tuple.of(after, size, owner) : Tuple.of(after, size);
  }

  public List<String> columns() {
    return columns;
  }

  public static Optional<Report> named(String name) {
    return Arrays.stream(values()).filter(r -> r.reportName.equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Report::reportName).toList();
  }
}
