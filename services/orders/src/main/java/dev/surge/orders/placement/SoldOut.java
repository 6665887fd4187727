package dev.surge.orders.placement;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Products the catalog said had none left, remembered for {@code orders.soldOutMemory}: in the seconds after a
 * flash sale sells out, most requests are for a product that is gone, and refusing them here spares the catalog
 * and the product's row. Stock that comes back (a cancelled order) is seen once the memory lapses; refusing in
 * that moment is no different from having arrived a moment earlier.
 *
 * <p>The catalog tells it twice: when it refuses a line for want of stock with none left, and, a moment sooner,
 * when it reserves the last units (none remaining after them).
 *
 * <p>When the memory lapses, one request asks the catalog again and the others go on being refused until it has
 * its answer (at most {@code orders.catalogTimeout}): sold out still, the memory starts over; stock back, it is
 * forgotten. Without that, every request arriving in the moment the catalog takes to answer would make the whole
 * trip (the request stored, the reservation tried, the refusal stored), each with its own wait for the disk.
 *
 * <p>One per service, shared by its HTTP instances (so what one learns, all know at once); thread-safe.
 */
public final class SoldOut {

  private final long memoryNanos;
  private final long recheckNanos;
  private final Map<Long, Long> until = new ConcurrentHashMap<>();

  /**
   * @param recheckNanos how long the one request asking again may take before another may ask in its place
   */
  public SoldOut(long memoryNanos, long recheckNanos) {
    this.memoryNanos = memoryNanos;
    this.recheckNanos = recheckNanos;
  }

  /** The catalog has none of this product left: it refused a line for want of stock, or reserved the last. */
  void soldOut(long productId) {
    if (memoryNanos > 0) {
      until.put(productId, System.nanoTime() + memoryNanos);
    }
  }

  /** The catalog reserved a line and has more: whatever was remembered about its product no longer holds. */
  void inStock(long productId) {
    if (!until.isEmpty()) {
      until.remove(productId);
    }
  }

  /**
   * The index of the first line whose product is remembered sold out, or -1. A lapsed memory is renewed for the
   * time of one catalog answer, and this request is the one that asks; a request that finds another renewed it
   * first is refused, as the memory still holds.
   */
  int firstSoldOut(OrderRequest request) {
    if (until.isEmpty()) {
      return -1;
    }
    long now = System.nanoTime();
    int lines = request.lines().size();
    for (int i = 0; i < lines; i++) {
      Long expiry = until.get(request.lines().get(i).productId());
      if (expiry != null && now - expiry < 0) {
        return i;
      }
    }
    Long[] renewed = null; // the expiries this request replaced, by line
    for (int i = 0; i < lines; i++) {
      long product = request.lines().get(i).productId();
      Long expiry = until.get(product);
      if (expiry == null) {
        continue;
      }
      if (!until.replace(product, expiry, now + recheckNanos)) {
        // Another request renewed it first and asks for it: give back the ones renewed here, for others to ask.
        for (int j = 0; renewed != null && j < i; j++) {
          if (renewed[j] != null) {
            until.replace(request.lines().get(j).productId(), now + recheckNanos, renewed[j]);
          }
        }
        return i;
      }
      if (renewed == null) {
        renewed = new Long[lines];
      }
      renewed[i] = expiry;
    }
    return -1;
  }
}
