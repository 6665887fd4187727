package dev.surge.orders.placement;

import java.util.HashMap;
import java.util.Map;

/**
 * Products the catalog said had none left, remembered for {@code orders.soldOutMemory}: in the seconds after a
 * flash sale sells out, most requests are for a product that is gone, and refusing them here spares the catalog
 * and the product's row. Stock that comes back (a cancelled order) is seen once the memory lapses; refusing in
 * that moment is no different from having arrived a moment earlier.
 *
 * <p>When the memory lapses, one request asks the catalog again and the others go on being refused until it has
 * its answer (at most {@code orders.catalogTimeout}): sold out still, the memory starts over; stock back, it is
 * forgotten. Without that, every request arriving in the moment the catalog takes to answer would make the whole
 * trip (the request stored, the reservation tried, the refusal stored), each with its own wait for the disk.
 *
 * <p>One per HTTP instance, touched only on its event loop.
 */
final class SoldOut {

  private final long memoryNanos;
  private final long recheckNanos;
  private final Map<Long, Long> until = new HashMap<>();

  /**
   * @param recheckNanos how long the one request asking again may take before another may ask in its place
   */
  SoldOut(long memoryNanos, long recheckNanos) {
    this.memoryNanos = memoryNanos;
    this.recheckNanos = recheckNanos;
  }

  /** The catalog refused a line for want of stock with none left. */
  void soldOut(long productId) {
    if (memoryNanos > 0) {
      until.put(productId, System.nanoTime() + memoryNanos);
    }
  }

  /** The catalog reserved a line: whatever was remembered about its product no longer holds. */
  void inStock(long productId) {
    if (!until.isEmpty()) {
      until.remove(productId);
    }
  }

  /**
   * The index of the first line whose product is remembered sold out, or -1. A lapsed memory is renewed for the
   * time of one catalog answer, and this request is the one that asks.
   */
  int firstSoldOut(OrderRequest request) {
    if (until.isEmpty()) {
      return -1;
    }
    long now = System.nanoTime();
    int first = -1;
    for (int i = 0; i < request.lines().size() && first < 0; i++) {
      Long expiry = until.get(request.lines().get(i).productId());
      if (expiry != null && now - expiry < 0) {
        first = i;
      }
    }
    if (first < 0) {
      for (OrderRequest.Line line : request.lines()) {
        until.computeIfPresent(line.productId(), (product, expiry) -> now + recheckNanos);
      }
    }
    return first;
  }
}
