package dev.surge.catalog.products;

/** Another product already has the sku a product was to be stored with: nothing was stored. */
public final class DuplicateSkuException extends RuntimeException {

  DuplicateSkuException() {
    super("A product with this sku already exists", null, false, false);
  }
}
