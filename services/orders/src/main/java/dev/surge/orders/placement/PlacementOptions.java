package dev.surge.orders.placement;

import java.time.Duration;

/**
 * How orders are placed, as {@code OrdersMain} reads it from the {@code orders.*} keys (their descriptions there).
 *
 * @param catalogTimeout how long the stock reservations may take ({@code orders.catalogTimeout})
 * @param soldOutMemory  how long a product the catalog said is gone is refused without asking
 * @param recordsEvents  whether the orders' changes are recorded for a webhook ({@code orders.webhookUrl} set)
 * @param answerMargin   how long before {@code http.requestTimeout} a request is answered, placed or not
 *                       ({@link #answerMargin(Duration)}): so that it is the placement that answers, knowing what
 *                       it wrote, rather than the chassis, which does not
 */
public record PlacementOptions(Duration catalogTimeout, Duration soldOutMemory, boolean recordsEvents,
                               Duration answerMargin) {

  /** A quarter of the request timeout, at most a second: time to answer in. */
  public static Duration answerMargin(Duration requestTimeout) {
    Duration quarter = requestTimeout.dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
  }
}
