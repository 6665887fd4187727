package dev.surge.catalog.products;

import dev.surge.redis.RedisComponent;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;

/** A product as stored and as served. Prices are integers in minor units of the currency. */
public record Product(long id, String sku, String name, String description, long price, String currency, int stock,
                      Instant saleStartsAt, Instant saleEndsAt, int version, Instant createdAt, Instant updatedAt) {

  static Product fromRow(Row row) {
    return new Product(row.getLong("id"), row.getString("sku"), row.getString("name"), row.getString("description"),
      row.getLong("price"), row.getString("currency"), row.getInteger("stock"), instant(row, "sale_starts_at"),
      instant(row, "sale_ends_at"), row.getInteger("version"), instant(row, "created_at"), instant(row, "updated_at"));
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  /** The strong entity tag of this version of the product. */
  public String etag() {
    return "\"" + version + "\"";
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id)
      .put("sku", sku)
      .put("name", name)
      .put("description", description)
      .put("price", price)
      .put("currency", currency)
      .put("stock", stock)
      .put("saleStartsAt", saleStartsAt == null ? null : saleStartsAt.toString())
      .put("saleEndsAt", saleEndsAt == null ? null : saleEndsAt.toString())
      .put("version", version)
      .put("createdAt", createdAt.toString())
      .put("updatedAt", updatedAt.toString());
  }

  /** The process's cache of products, shared by the HTTP routes and the stock consumers that invalidate it. */
  public static dev.surge.redis.ReadThroughCache<Product> cache(dev.surge.ServiceContext context) {
    return RedisComponent.cache(context).readThrough(context.vertx(), "products", p -> p.toJson().encode(),
      s -> fromJson(new JsonObject(s)));
  }

  public static Product fromJson(JsonObject json) {
    return new Product(json.getLong("id"), json.getString("sku"), json.getString("name"), json.getString("description"),
      json.getLong("price"), json.getString("currency"), json.getInteger("stock"), parse(json.getString("saleStartsAt")),
      parse(json.getString("saleEndsAt")), json.getInteger("version"), parse(json.getString("createdAt")),
      parse(json.getString("updatedAt")));
  }

  private static Instant parse(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
