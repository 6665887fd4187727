package dev.surge.catalog.products;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Products in PostgreSQL, through the shared pool, with prepared statements. */
final class ProductRepository {

  private static final String COLUMNS = "id, sku, name, description, price, currency, stock, sale_starts_at, "
    + "sale_ends_at, version, created_at, updated_at";
  private static final String INSERT = "INSERT INTO products (sku, name, description, price, currency, stock, "
    + "sale_starts_at, sale_ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + COLUMNS;
  private static final String FIND = "SELECT " + COLUMNS + " FROM products WHERE id = $1";
  private static final String PAGE = "SELECT " + COLUMNS + " FROM products WHERE id > $1 ORDER BY id LIMIT $2";
  private static final String UPDATE = "UPDATE products SET sku = $1, name = $2, description = $3, price = $4, "
    + "currency = $5, stock = $6, sale_starts_at = $7, sale_ends_at = $8, version = version + 1, updated_at = now() "
    + "WHERE id = $9 AND version = $10 RETURNING " + COLUMNS;
  private static final String DELETE = "DELETE FROM products WHERE id = $1";
  private static final String DELETE_VERSION = "DELETE FROM products WHERE id = $1 AND version = $2";
  private static final String UNIQUE_VIOLATION = "23505";

  /** Writes: each waits for its commit, and a read pipelined behind it would wait with it. */
  private final Pool pool;
  /** Reads, pipelined: those in flight together share a connection. */
  private final SqlClient reads;

  ProductRepository(Pool pool, SqlClient reads) {
    this.pool = pool;
    this.reads = reads;
  }

  Future<Product> insert(ProductInput p) {
    return pool.preparedQuery(INSERT).execute(values(p))
      .map(rows -> Product.fromRow(rows.iterator().next()))
      .recover(ProductRepository::duplicateSku);
  }

  /** The product, or null. */
  Future<Product> find(long id) {
    return reads.preparedQuery(FIND).execute(Tuple.of(id)).map(ProductRepository::firstOrNull);
  }

  /** Up to {@code limit} products with an id above {@code afterId}, in id order. */
  Future<List<Product>> page(long afterId, int limit) {
    return reads.preparedQuery(PAGE).execute(Tuple.of(afterId, limit)).map(rows -> {
      List<Product> page = new ArrayList<>(rows.size());
      rows.forEach(row -> page.add(Product.fromRow(row)));
      return page;
    });
  }

  /** The updated product, or null when the product is gone or its version is no longer {@code expectedVersion}. */
  Future<Product> update(long id, int expectedVersion, ProductInput p) {
    return pool.preparedQuery(UPDATE).execute(values(p).addLong(id).addInteger(expectedVersion))
      .map(ProductRepository::firstOrNull)
      .recover(ProductRepository::duplicateSku);
  }

  /** Whether a row was deleted; with a version, only that version is. */
  Future<Boolean> delete(long id, Integer expectedVersion) {
    Future<RowSet<Row>> deleted = expectedVersion == null
      ? pool.preparedQuery(DELETE).execute(Tuple.of(id))
      : pool.preparedQuery(DELETE_VERSION).execute(Tuple.of(id, expectedVersion));
    return deleted.map(rows -> rows.rowCount() == 1);
  }

  private static Tuple values(ProductInput p) {
    return Tuple.tuple().addString(p.sku()).addString(p.name()).addString(p.description()).addLong(p.price())
      .addString(p.currency()).addInteger(p.stock()).addOffsetDateTime(utc(p.saleStartsAt()))
      .addOffsetDateTime(utc(p.saleEndsAt()));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Product firstOrNull(RowSet<Row> rows) {
    return rows.size() == 0 ? null : Product.fromRow(rows.iterator().next());
  }

  private static <T> Future<T> duplicateSku(Throwable err) {
    if (err instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      return Future.failedFuture(new DuplicateSkuException());
    }
    return Future.failedFuture(err);
  }
}
