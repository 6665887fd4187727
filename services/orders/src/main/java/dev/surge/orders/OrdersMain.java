package dev.surge.orders;

import dev.surge.pg.JobKeys;
import dev.surge.pg.JobsComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.ServiceDefinition;
import dev.surge.Launcher;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.config.Secrets;
import dev.surge.config.SurgeConfig;
import dev.surge.orders.fulfilment.FulfilOrder;
import dev.surge.orders.fulfilment.FulfilmentOptions;
import dev.surge.orders.fulfilment.NotifyWebhook;
import dev.surge.orders.fulfilment.PendingOrders;
import dev.surge.orders.fulfilment.ReleaseReservations;
import dev.surge.orders.fulfilment.ReservationSweeper;
import dev.surge.orders.orders.OrderJobs;
import dev.surge.orders.placement.PlacementOptions;
import dev.surge.orders.routes.OrderRoutes;
import io.vertx.core.ThreadingModel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The orders service: a flash-sale checkout that takes stock from the catalog over the event bus. */
public final class OrdersMain {

  public static final int DEFAULT_PORT = 8084;
  /** The queue of the orders' jobs (why its own: {@link OrderJobs#QUEUE}). */
  public static final String JOB_QUEUE = OrderJobs.QUEUE;

  public static final ConfigKey<Duration> CATALOG_TIMEOUT = ConfigKey.duration("orders.catalogTimeout",
    Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(1),
    "How long a stock reservation may take before the order answers 503 and gives back what it took");
  public static final ConfigKey<String> WEBHOOK_URL = ConfigKey.string("orders.webhookUrl", null,
    Pattern.compile("https?://\\S{1,2000}"), "an http or https URL",
    "Where each order's state changes (placed, confirmed, cancelled) are posted, in order, at least once, each with an event id")
    .secret(Secrets::maskUrlBeyondHost); // a webhook's path is often its credential (Slack's, Discord's)
  public static final ConfigKey<Duration> SWEEP_AFTER = ConfigKey.duration("orders.sweepAfter",
    Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofDays(1),
    "A request still reserving after this long (its process died) has its reservations given back");
  public static final ConfigKey<Duration> SWEEP_INTERVAL = ConfigKey.duration("orders.sweepInterval",
    Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1), "How often the sweeper looks for such requests");
  public static final ConfigKey<Duration> SOLD_OUT_MEMORY = ConfigKey.duration("orders.soldOutMemory",
    Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10),
    "After the catalog says a product has none left, orders for it are refused without asking again for this long (0: always ask)");
  public static final ConfigKey<Integer> MAX_LINES = ConfigKey.integer("orders.maxLines", 50, 1, 1000,
    "Most lines in one order");

  private OrdersMain() {
  }

  public static ServiceDefinition definition() {
    return ServiceDefinition.builder("orders")
      .defaultPort(DEFAULT_PORT)
      .configKeys(List.of(CATALOG_TIMEOUT, WEBHOOK_URL, SWEEP_AFTER, SWEEP_INTERVAL, SOLD_OUT_MEMORY, MAX_LINES))
      // 200 at once: confirmations go out in batches, and with 50 the fulfilment of a flash sale's orders fell
      // behind them (700 to 1,000 a second against 1,500 placed) and ran on into the refusals (docs/BENCHMARKS.md).
      .withDefault(JobKeys.QUEUES, Map.of(JOB_QUEUE, 200))
      .withDefault(JobKeys.BACKOFF_MAX, Duration.ofMinutes(10))
      // Under a client's usual 10 s: a placement held up (PostgreSQL restarting: each statement may wait
      // pg.connectionTimeout for a connection) is answered, 503 when it ordered nothing or 504 when its order was on
      // its way to the database, instead of the client timing out not knowing (PlaceOrder).
      .withDefault(ChassisKeys.HTTP_REQUEST_TIMEOUT, Duration.ofSeconds(8))
      .use(PostgresComponent.migrations("db/orders"))
      .use(JobsComponent.of((ctx, jobs) -> {
        FulfilmentOptions fulfilment = fulfilmentOptions(ctx.config());
        jobs.register(FulfilOrder.TYPE, ThreadingModel.EVENT_LOOP, new FulfilOrder(ctx, fulfilment))
          .register(ReleaseReservations.TYPE, ThreadingModel.EVENT_LOOP, new ReleaseReservations(ctx, fulfilment))
          .register(NotifyWebhook.TYPE, ThreadingModel.EVENT_LOOP, new NotifyWebhook(ctx, fulfilment));
      }))
      .onStart(ctx -> ReservationSweeper.deploy(ctx, fulfilmentOptions(ctx.config()))
        .compose(swept -> PendingOrders.deploy(ctx)))
      .contract("openapi/orders.json")
      .http(ctx -> new OrderRoutes(ctx, placementOptions(ctx.config()), ctx.config().get(MAX_LINES)))
      .build();
  }

  static PlacementOptions placementOptions(SurgeConfig config) {
    return new PlacementOptions(config.get(CATALOG_TIMEOUT), config.get(SOLD_OUT_MEMORY),
      config.get(WEBHOOK_URL) != null, PlacementOptions.answerMargin(config.get(ChassisKeys.HTTP_REQUEST_TIMEOUT)));
  }

  static FulfilmentOptions fulfilmentOptions(SurgeConfig config) {
    return new FulfilmentOptions(config.get(CATALOG_TIMEOUT), config.get(WEBHOOK_URL), config.get(SWEEP_AFTER),
      config.get(SWEEP_INTERVAL));
  }

  public static void main(String[] args) {
    Launcher.run(definition(), args);
  }
}
