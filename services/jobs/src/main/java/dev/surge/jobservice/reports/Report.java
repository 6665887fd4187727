package dev.surge.jobservice.reports;

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
    List.of("id", "sku", "name", "price", "currency", "stock", "created_at", "updated_at")),

  /** A summary of the durable job queue's jobs. */
  JOBS("SELECT count(*) FROM surge_jobs",
    "SELECT id, type, queue, state, attempt, max_attempts, inserted_at, finished_at FROM surge_jobs WHERE id > $1 ORDER BY id LIMIT $2",
    List.of("id", "type", "queue", "state", "attempt", "max_attempts", "inserted_at", "finished_at"));

  private final String reportName = name().toLowerCase(Locale.ROOT);
  private final String countSql;
  private final String pageSql;
  private final List<String> columns;

  Report(String countSql, String pageSql, List<String> columns) {
    this.countSql = countSql;
    this.pageSql = pageSql;
    this.columns = columns;
  }

  /** The name clients ask for, such as {@code products}. */
  public String reportName() {
    return reportName;
  }

  public String countSql() {
    return countSql;
  }

  /** One page of rows, in id order: $1 the last id already read (0 first), $2 how many rows at most. */
  public String pageSql() {
    return pageSql;
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
