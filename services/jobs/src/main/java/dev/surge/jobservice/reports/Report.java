package dev.surge.jobservice.reports;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A named report that {@code report.export} can write: how to count its rows, how to read them, and its CSV header. */
public enum Report {

  /** The catalog service's products (present only in a database the catalog migrated). */
  PRODUCTS("SELECT count(*) FROM products",
    "SELECT id, sku, name, price, currency, stock, created_at, updated_at FROM products ORDER BY id",
    List.of("id", "sku", "name", "price", "currency", "stock", "created_at", "updated_at")),

  /** A summary of the durable job queue's jobs. */
  JOBS("SELECT count(*) FROM surge_jobs",
    "SELECT id, type, queue, state, attempt, max_attempts, inserted_at, finished_at FROM surge_jobs ORDER BY id",
    List.of("id", "type", "queue", "state", "attempt", "max_attempts", "inserted_at", "finished_at"));

  private final String reportName = name().toLowerCase(Locale.ROOT);
  private final String countSql;
  private final String selectSql;
  private final List<String> columns;

  Report(String countSql, String selectSql, List<String> columns) {
    this.countSql = countSql;
    this.selectSql = selectSql;
    this.columns = columns;
  }

  /** The name clients ask for, such as {@code products}. */
  public String reportName() {
    return reportName;
  }

  public String countSql() {
    return countSql;
  }

  public String selectSql() {
    return selectSql;
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
