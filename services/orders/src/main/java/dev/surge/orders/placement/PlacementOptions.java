package dev.surge.orders.placement;

import java.time.Duration;

/**
 * How orders are placed, as {@code OrdersMain} reads it from the {@code orders.*} keys (their descriptions there).
 *
 * @param catalogTimeout how long the stock reservations may take ({@code orders.catalogTimeout})
 * @param soldOutMemory  how long a product the catalog said is gone is refused without asking
 * @param recordsEvents  whether the orders' changes are recorded for a webhook ({@code orders.webhookUrl} set)
 */
public record PlacementOptions(Duration catalogTimeout, Duration soldOutMemory, boolean recordsEvents) {
}
