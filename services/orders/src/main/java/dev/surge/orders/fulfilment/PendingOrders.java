package dev.surge.orders.fulfilment;

import dev.surge.ServiceContext;
import dev.surge.orders.orders.OrderRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code surge_orders_pending}: the orders stored and still waiting for their {@code order.fulfil} job, across the
 * whole service (every replica reads the same count), so that an operator sees the fulfilment fall behind a flash
 * sale. Counted by PostgreSQL every {@link #EVERY_MS} ms, not at each scrape: a scrape must not wait on the database,
 * and a gauge cannot. Until the first count (and while PostgreSQL cannot be asked) the gauge is NaN, which
 * Prometheus and the console show as no value rather than a wrong one.
 */
public final class PendingOrders extends VerticleBase {

  static final long EVERY_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(PendingOrders.class);

  private final OrderRepository orders;
  private final MeterRegistry registry;
  private final Gauge gauge;
  private volatile double pending = Double.NaN;
  private boolean counting;

  private PendingOrders(ServiceContext context) {
    this.orders = new OrderRepository(context, false);
    this.registry = context.registry();
    this.gauge = Gauge.builder("surge_orders_pending", this, self -> self.pending)
      .description("Orders stored and not yet confirmed or cancelled (waiting for order.fulfil), across the service, "
        + "counted every 2 s")
      .register(registry);
  }

  /** Deploys the service's count; it goes (and its gauge with it) when the service stops. */
  public static Future<Void> deploy(ServiceContext context) {
    return context.deploy(() -> new PendingOrders(context), new DeploymentOptions()).mapEmpty();
  }

  @Override
  public Future<?> start() {
    count();
    vertx.setPeriodic(EVERY_MS, id -> count());
    return Future.succeededFuture();
  }

  private void count() {
    if (counting) { // the last count still runs (PostgreSQL slow or restarting): one at a time
      return;
    }
    counting = true;
    orders.countPending()
      .onSuccess(n -> pending = n)
      .onFailure(err -> {
        pending = Double.NaN;
        LOG.debug("Counting the pending orders failed: {}", err.getMessage());
      })
      .onComplete(done -> counting = false);
  }

  @Override
  public Future<?> stop() {
    registry.remove(gauge);
    return Future.succeededFuture();
  }
}
