package dev.surge.orders.fulfilment;

import dev.surge.ServiceContext;
import dev.surge.orders.orders.OrderRepository;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds order requests still reserving after {@code orders.sweepAfter}: the process that took their stock died
 * before storing the order or answering. Each is dropped and its reservations scheduled to go back, in one
 * transaction; a placement that wakes up late finds its request gone and stores nothing.
 */
public final class ReservationSweeper extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ReservationSweeper.class);

  private final OrderRepository orders;
  private final long afterMs;
  private final long intervalMs;

  private ReservationSweeper(ServiceContext context, FulfilmentOptions options) {
    this.orders = new OrderRepository(context, options.webhookUrl() != null);
    this.afterMs = options.sweepAfter().toMillis();
    this.intervalMs = options.sweepInterval().toMillis();
  }

  /** Deploys the service's sweeper; it goes when the service stops. */
  public static Future<Void> deploy(ServiceContext context, FulfilmentOptions options) {
    return context.deploy(() -> new ReservationSweeper(context, options), new DeploymentOptions()).mapEmpty();
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(intervalMs, id -> orders.sweep(afterMs)
      .onSuccess(swept -> {
        if (swept > 0) {
          LOG.warn("Swept {} order requests abandoned while reserving; their stock goes back", swept);
        }
      })
      .onFailure(err -> LOG.warn("Sweeping abandoned order requests failed: {}", err.getMessage())));
    return Future.succeededFuture();
  }
}
