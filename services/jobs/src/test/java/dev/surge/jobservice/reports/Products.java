package dev.surge.jobservice.reports;

import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import io.vertx.sqlclient.Pool;

import java.nio.file.Files;

/** The catalog's products table in a test service's database, with {@code rows} products of some width. */
final class Products {

  private Products() {
  }

  static void create(TestService service, int rows) throws Exception {
    Pool pg = PostgresComponent.pool(service.running().context());
    TestService.await(pg.query(Files.readString(ReportExportStreamsCsvTest.CATALOG_PRODUCTS_DDL)).execute());
    TestService.await(pg.query("""
      INSERT INTO products (sku, name, description, price, currency, stock)
      SELECT 'SKU-' || g, 'Product ' || g, repeat('long description ', 10), g, 'EUR', g
      FROM generate_series(1, %d) AS g""".formatted(rows)).execute());
  }
}
