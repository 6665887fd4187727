package dev.surge.catalog.products;

import dev.surge.http.JsonInput;

import java.time.Instant;
import java.util.Currency;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A product's writable fields, validated: the body of POST, or the result of applying a PATCH (JSON merge
 * patch) to the stored product.
 */
record ProductInput(String sku, String name, String description, long price, String currency, int stock,
                    Instant saleStartsAt, Instant saleEndsAt) {

  static final Set<String> WRITABLE = Set.of("sku", "name", "description", "price", "currency", "stock",
    "saleStartsAt", "saleEndsAt");
  static final Set<String> READ_ONLY = Set.of("id", "version", "createdAt", "updatedAt");

  static final int MAX_SKU = 64;
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 4000;
  static final long MAX_PRICE = 1_000_000_000_000L;
  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  /** A new product: sku, name, price, currency and stock are required. */
  static ProductInput forCreate(JsonInput in) {
    in.onlyFields(WRITABLE, READ_ONLY);
    ProductInput p = read(in, true, null);
    in.validate();
    return p;
  }

  /**
   * A patch's fields on their own, before the product is read: unknown, read-only or invalid fields, and a sale
   * window that ends before it starts when the patch sets both, are one 400 whatever the product, or whether it
   * exists.
   */
  static void checkPatch(JsonInput in) {
    in.onlyFields(WRITABLE, READ_ONLY);
    read(in, false, null);
    in.validate();
  }

  /**
   * The stored product with a {@linkplain #checkPatch checked} patch's fields applied; a field set to null clears
   * it where it may be absent. What is left to refuse is a sale window that ends before it starts as merged.
   */
  static ProductInput forPatch(JsonInput in, Product current) {
    ProductInput p = read(in, false, current);
    in.validate();
    return p;
  }

  private static ProductInput read(JsonInput in, boolean create, Product current) {
    boolean required = create;
    String sku = in.string("sku", required || in.has("sku"), 1, MAX_SKU, SKU,
      "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'");
    String name = in.string("name", required || in.has("name"), 1, MAX_NAME, null, null);
    String description = in.string("description", false, 0, MAX_DESCRIPTION, null, null);
    Long price = in.integer("price", required || in.has("price"), 0, MAX_PRICE);
    String currency = in.string("currency", required || in.has("currency"), 3, 3, CURRENCY,
      "must be an ISO 4217 code such as EUR");
    if (currency != null) {
      in.error("currency", "is not an ISO 4217 currency", !isIsoCurrency(currency));
    }
    Long stock = in.integer("stock", required || in.has("stock"), 0, Integer.MAX_VALUE);
    Instant starts = in.instant("saleStartsAt", false);
    Instant ends = in.instant("saleEndsAt", false);
    if (!in.valid()) {
      return null;
    }
    if (current != null) {
      sku = in.has("sku") ? sku : current.sku();
      name = in.has("name") ? name : current.name();
      description = in.has("description") ? description : current.description();
      price = in.has("price") ? price : current.price();
      currency = in.has("currency") ? currency : current.currency();
      stock = in.has("stock") ? stock : current.stock();
      starts = in.has("saleStartsAt") ? starts : current.saleStartsAt();
      ends = in.has("saleEndsAt") ? ends : current.saleEndsAt();
    }
    in.error("saleEndsAt", "must be after saleStartsAt", starts != null && ends != null && !ends.isAfter(starts));
    if (!create && current == null) { // a patch checked on its own: nothing to merge it with yet
      return null;
    }
    return new ProductInput(sku, name, description, price, currency, stock.intValue(), starts, ends);
  }

  /** Whether these fields are the product's as stored: a patch that changes nothing is no update. */
  boolean sameAs(Product current) {
    return sku.equals(current.sku()) && name.equals(current.name())
      && java.util.Objects.equals(description, current.description()) && price == current.price()
      && currency.equals(current.currency()) && stock == current.stock()
      && java.util.Objects.equals(saleStartsAt, current.saleStartsAt())
      && java.util.Objects.equals(saleEndsAt, current.saleEndsAt());
  }

  private static boolean isIsoCurrency(String code) {
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
