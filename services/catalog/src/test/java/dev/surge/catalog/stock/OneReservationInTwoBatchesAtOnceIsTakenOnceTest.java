package dev.surge.catalog.stock;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.surge.testing.TestService.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders sends a repeated reservation as two copies, which go to two replicas (or two instances of one): two
 * batches, each with that reservation id among others, can wait on the product's row together. The one that runs
 * second began before the first committed, so it does not see the reservation and its insert fails on the id: its
 * whole batch rolls back. Run again, it finds the reservation: both copies are answered as the one that was taken,
 * the batch's other reservations are taken, and the stock goes down once for the repeated one.
 */
class OneReservationInTwoBatchesAtOnceIsTakenOnceTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(CatalogMain.definition());

  @Test
  void bothCopiesAreAnsweredAsTheOneTakenAndTheirBatchesOthersAreTaken() throws Exception {
    long product = Stock.product(service, 10, null);
    Vertx vertx = service.running().vertx();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(service.pgUrl()))
      .with(new PoolOptions().setMaxSize(4)).using(vertx).build();
    // Two instances' batchers, each on a context of its own, as two replicas' would be.
    ReservationBatcher first = new ReservationBatcher(pool, new StockRepository(pool), id -> Future.succeededFuture());
    ReservationBatcher second = new ReservationBatcher(pool, new StockRepository(pool), id -> Future.succeededFuture());
    try (Connection holder = SurgeTestEnvironment.jdbc(service.pgUrl());
         Connection watcher = SurgeTestEnvironment.jdbc(service.pgUrl())) {
      holder.setAutoCommit(false);
      holder.createStatement().execute("SELECT 1 FROM products WHERE id = " + product + " FOR UPDATE");
      List<Future<StockRepository.Reserved>> fromFirst = onAContext(vertx, () -> List.of(
        first.reserve("repeated", product, 1), first.reserve("only-first", product, 1)));
      List<Future<StockRepository.Reserved>> fromSecond = onAContext(vertx, () -> List.of(
        second.reserve("repeated", product, 1), second.reserve("only-second", product, 1)));
      waitUntilWaitingOnALock(watcher, 2);
      holder.commit();

      StockRepository.Reserved repeatedFirst = await(fromFirst.get(0));
      StockRepository.Reserved repeatedSecond = await(fromSecond.get(0));
      assertThat(repeatedFirst.rejection()).isNull();
      assertThat(repeatedSecond.rejection()).isNull();
      assertThat(repeatedSecond.remaining()).as("both copies answered as the one taken")
        .isEqualTo(repeatedFirst.remaining());
      assertThat(await(fromFirst.get(1)).rejection()).isNull();
      assertThat(await(fromSecond.get(1)).rejection()).isNull();
      assertThat(Stock.stock(service, product)).as("three units taken, the repeated one once").isEqualTo(7);
      try (ResultSet rows = watcher.createStatement().executeQuery(
        "SELECT count(*) FROM stock_reservations WHERE product_id = " + product)) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(3);
      }
    } finally {
      await(pool.close());
    }
  }

  private static List<Future<StockRepository.Reserved>> onAContext(
    Vertx vertx, java.util.function.Supplier<List<Future<StockRepository.Reserved>>> calls) {
    CompletableFuture<List<Future<StockRepository.Reserved>>> made = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> made.complete(calls.get()));
    return made.join();
  }

  /** Until {@code statements} of this database wait on a lock (each batch, on the product's row). */
  private static void waitUntilWaitingOnALock(Connection watcher, int statements) throws Exception {
    for (int i = 0; i < 200; i++) {
      try (ResultSet rows = watcher.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
        + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
        rows.next();
        if (rows.getInt(1) >= statements) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the two batches never waited on the product's row");
  }
}
