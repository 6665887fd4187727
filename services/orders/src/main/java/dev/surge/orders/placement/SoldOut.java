package dev.surge.orders.placement;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Products the catalog said had none left, remembered for {@code orders.soldOutMemory}: in the seconds after a
 * flash sale sells out, most requests are for a product that is gone, and refusing them here spares the catalog
 * and the product's row. Stock that comes back (a cancelled order) is seen once the memory lapses; refusing in
 * that moment is no different from having arrived a moment earlier.
 */
final class SoldOut {

  private final long memoryNanos;
  private final Map<Long, Long> until = new ConcurrentHashMap<>();

  SoldOut(long memoryNanos) {
    this.memoryNanos = memoryNanos;
  }

  void remember(long productId) {
    if (memoryNanos > 0) {
      until.put(productId, System.nanoTime() + memoryNanos);
    }
  }

  /** The index of the first line whose product is remembered sold out, or -1. */
  int firstSoldOut(OrderRequest request) {
    if (until.isEmpty()) {
      return -1;
    }
    long now = System.nanoTime();
    for (int i = 0; i < request.lines().size(); i++) {
      Long expiry = until.get(request.lines().get(i).productId());
      if (expiry != null) {
        if (now - expiry < 0) {
          return i;
        }
        until.remove(request.lines().get(i).productId(), expiry);
      }
    }
    return -1;
  }
}
