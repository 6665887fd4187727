package dev.surge.orders.fulfilment;

import java.time.Duration;

/**
 * What the fulfilment's jobs and sweeper are given, as {@code OrdersMain} reads it from the {@code orders.*} keys
 * (their descriptions there).
 *
 * @param catalogTimeout how long a release waits for the catalog ({@code orders.catalogTimeout})
 * @param webhookUrl     where the orders' changes are posted; null: nowhere, and none recorded
 */
public record FulfilmentOptions(Duration catalogTimeout, String webhookUrl, Duration sweepAfter,
                                Duration sweepInterval) {
}
