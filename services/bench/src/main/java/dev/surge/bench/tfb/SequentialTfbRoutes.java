package dev.surge.bench.tfb;

import dev.surge.ServiceContext;
import dev.surge.http.MediaTypes;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The database test types in sequential style, for virtual-thread verticles: each step waits with
 * {@code await()}, as a gevent greenlet would, while the virtual thread is parked and its carrier serves other
 * requests.
 */
public final class SequentialTfbRoutes extends TfbRoutes {

  public SequentialTfbRoutes(ServiceContext context, WorldCache cache) {
    super(context, cache);
  }

  @Override
  void db(RoutingContext ctx) {
    RowSet<Row> rows = client.preparedQuery(Tfb.SELECT_WORLD).execute(Tuple.of(Tfb.randomWorldId())).await();
    Tfb.send(ctx, MediaTypes.JSON, World.first(rows).toJson().toBuffer());
  }

  /**
   * On one pooled connection, not the pipelined client: a virtual thread's statement is one hop to the connection's
   * event loop and back, so one connection for the request's 20 is one hop, not 20 (twice the rate,
   * docs/BENCHMARKS.md).
   */
  @Override
  void queries(RoutingContext ctx, int n) {
    SqlConnection conn = pool.getConnection().await();
    try {
      Tfb.send(ctx, MediaTypes.JSON, Tfb.json(readWorlds(conn, n)));
    } finally {
      conn.close();
    }
  }

  @Override
  void updates(RoutingContext ctx, int n) {
    SqlConnection conn = pool.getConnection().await();
    try {
      List<World> read = readWorlds(conn, n);
      Map<Integer, Integer> newNumbers = Tfb.newNumbersHolder(n);
      List<World> updated = Tfb.withNewNumbers(read, newNumbers);
      conn.preparedQuery(WorldUpdates.sql(newNumbers.size())).execute(WorldUpdates.parameters(newNumbers)).await();
      Tfb.send(ctx, MediaTypes.JSON, Tfb.json(written(updated)));
    } finally {
      conn.close();
    }
  }

  @Override
  void fortunes(RoutingContext ctx) {
    RowSet<Row> rows = client.preparedQuery(Tfb.SELECT_FORTUNES).execute().await();
    Tfb.send(ctx, MediaTypes.HTML, Tfb.fortunesPage(rows));
  }

  /** Sequential-looking, yet pipelined: every statement is sent before the first answer is awaited. */
  private static List<World> readWorlds(SqlConnection conn, int n) {
    List<Future<RowSet<Row>>> pending = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pending.add(conn.preparedQuery(Tfb.SELECT_WORLD).execute(Tuple.of(Tfb.randomWorldId())));
    }
    List<World> worlds = new ArrayList<>(n);
    for (Future<RowSet<Row>> rows : pending) {
      worlds.add(World.first(rows.await()));
    }
    return worlds;
  }
}
