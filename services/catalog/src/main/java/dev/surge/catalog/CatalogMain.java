package dev.surge.catalog;

import dev.surge.pg.PostgresComponent;
import dev.surge.redis.RedisComponent;
import dev.surge.ServiceDefinition;
import dev.surge.Launcher;
import dev.surge.catalog.products.ProductRoutes;
import dev.surge.catalog.stock.StockConsumers;

/** The catalog service: products of a flash-sale shop, served through the Redis cache. */
public final class CatalogMain {

  public static final int DEFAULT_PORT = 8081;

  private CatalogMain() {
  }

  public static ServiceDefinition definition() {
    return ServiceDefinition.builder("catalog")
      .defaultPort(DEFAULT_PORT)
      .use(PostgresComponent.migrations("db/catalog").genericPlansForReads())
      .use(RedisComponent.cache())
      .eventBus(StockConsumers::new)
      .contract("openapi/catalog.json")
      .http(ProductRoutes::new)
      .build();
  }

  public static void main(String[] args) {
    Launcher.run(definition(), args);
  }
}
