package dev.surge.orders.placement;

import io.vertx.core.json.JsonObject;

/**
 * What became of a request to place an order. {@link PlaceOrder} decides it; the routes turn it into an HTTP answer.
 */
public sealed interface PlacementOutcome {

  /** Stored as pending, its stock reserved. {@code order} is the order as its client first saw it. */
  record Placed(JsonObject order) implements PlacementOutcome {

    public String id() {
      return order.getString("id");
    }
  }

  /**
   * A line cannot be ordered: nothing was, and whatever the other lines reserved goes back.
   *
   * @param reason    the catalog's reason, as its slug ({@code insufficient-stock}, {@code product-not-found}, ...)
   * @param detail    the catalog's words
   * @param remaining the stock left, when the reason is the stock
   * @param requestId the request first answered so, whose id a retry's answer carries again
   */
  record Refused(int line, OrderRequest.Line ordered, String reason, String detail, Integer remaining,
                 String requestId) implements PlacementOutcome {
  }

  /** Nothing was ordered, for now: the same request sent again may be placed. */
  record Unavailable(Cause cause) implements PlacementOutcome {

    public enum Cause {
      /** The catalog did not confirm the stock within {@code orders.catalogTimeout}. */
      CATALOG_UNAVAILABLE,
      /** The order was stored too late: the sweeper had given its stock back. */
      EXPIRED,
      /** A request with this key ended unanswered a moment ago. */
      ENDED_UNANSWERED,
      /**
       * Not stored by the time it had to be answered (its database slow or away): nothing was ordered, and nothing
       * will be, since its writes were dropped unsent.
       */
      TIMED_OUT
    }
  }

  /**
   * Its database did not confirm the order in time, with the order on its way there: it may be placed or not, and
   * the same request sent again (the same key) learns which.
   */
  record Unknown() implements PlacementOutcome {
  }

  /** A request with this key is being placed now. */
  record InProgress() implements PlacementOutcome {
  }

  /** This key was used for a different request. */
  record KeyReused() implements PlacementOutcome {
  }

  /** This request was answered before, with {@code first} ({@link Placed} or {@link Refused}): the same again. */
  record Replayed(PlacementOutcome first) implements PlacementOutcome {
  }
}
