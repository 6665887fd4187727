package dev.surge.orders;

import dev.surge.jobs.JobQueue;
import dev.surge.pg.JobsComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.surge.testing.TestService.await;

/**
 * {@code surge_orders_pending} (the console's "pending" figure while a sale runs) counts the orders stored and not
 * yet fulfilled: it rises with orders placed while their fulfilment cannot run, and falls to zero once it has.
 */
class PendingOrdersAreCountedUntilFulfilledTest {

  private static final Pattern PENDING = Pattern.compile("(?m)^surge_orders_pending(?:\\{[^}]*})? ([0-9.NaN]+)$");

  @RegisterExtension
  static final Platform platform = Platform.perClass();

  private static String pending() {
    Matcher matcher = PENDING.matcher(platform.orders().get("/metrics").bodyAsString());
    return matcher.find() ? matcher.group(1) : "absent";
  }

  @Test
  void ordersWaitingForFulfilmentAreCountedAndLeaveTheCountOnceConfirmed() {
    Platform.eventually("nothing pending at first", () -> "0.0".equals(pending()));
    JobQueue jobs = JobsComponent.queue(platform.orders().running().context());
    await(jobs.pause(OrdersMain.JOB_QUEUE));
    long product = platform.product(10);
    platform.place("pending-1", Platform.order("kim", product, 1));
    platform.place("pending-2", Platform.order("lee", product, 2));
    Platform.eventually("two pending while fulfilment is paused", () -> "2.0".equals(pending()));

    await(jobs.resume(OrdersMain.JOB_QUEUE));
    Platform.eventually("none pending once both are confirmed", () -> "0.0".equals(pending()));
  }
}
