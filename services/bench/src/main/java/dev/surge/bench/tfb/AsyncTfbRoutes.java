package dev.surge.bench.tfb;

import dev.surge.ServiceContext;
import dev.surge.http.MediaTypes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The database test types written with future composition: what event-loop verticles run, and worker verticles
 * too (the gthread model runs the same handlers on a worker pool). Several statements of one request are sent
 * together, pipelined; each is its own statement, as the rules require.
 */
public final class AsyncTfbRoutes extends TfbRoutes {

  public AsyncTfbRoutes(ServiceContext context, WorldCache cache) {
    super(context, cache);
  }

  @Override
  void db(RoutingContext ctx) {
    client.preparedQuery(Tfb.SELECT_WORLD).execute(Tuple.of(Tfb.randomWorldId()))
      .onSuccess(rows -> Tfb.send(ctx, MediaTypes.JSON, World.first(rows).toJson().toBuffer()))
      .onFailure(ctx::fail);
  }

  @Override
  void queries(RoutingContext ctx, int n) {
    reads(sql -> readWorlds(sql, n))
      .onSuccess(worlds -> Tfb.send(ctx, MediaTypes.JSON, Tfb.json(worlds)))
      .onFailure(ctx::fail);
  }

  @Override
  void updates(RoutingContext ctx, int n) {
    reads(sql -> readWorlds(sql, n)).compose(read -> {
      Map<Integer, Integer> newNumbers = Tfb.newNumbersHolder(n);
      List<World> updated = Tfb.withNewNumbers(read, newNumbers);
      return pool.preparedQuery(WorldUpdates.sql(newNumbers.size())).execute(WorldUpdates.parameters(newNumbers))
        .map(done -> written(updated));
    })
      .onSuccess(worlds -> Tfb.send(ctx, MediaTypes.JSON, Tfb.json(worlds)))
      .onFailure(ctx::fail);
  }

  @Override
  void fortunes(RoutingContext ctx) {
    client.preparedQuery(Tfb.SELECT_FORTUNES).execute()
      .onSuccess(rows -> Tfb.send(ctx, MediaTypes.HTML, Tfb.fortunesPage(rows)))
      .onFailure(ctx::fail);
  }

  /**
   * The reads of one request. On an event loop they go on the pipelined client, which sends the statements in
   * flight together; from a worker thread on one pooled connection: one hop to its loop and back for the request,
   * not one per statement (twice the rate of /queries, docs/BENCHMARKS.md).
   */
  private <T> Future<T> reads(Function<SqlClient, Future<T>> statements) {
    return Context.isOnEventLoopThread() ? statements.apply(client) : pool.withConnection(statements::apply);
  }

  /** N statements sent at once: pipelined, each answered in order on its connection. */
  private static Future<List<World>> readWorlds(SqlClient conn, int n) {
    List<Future<World>> reads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reads.add(conn.preparedQuery(Tfb.SELECT_WORLD).execute(Tuple.of(Tfb.randomWorldId())).map(World::first));
    }
    return Future.all(reads).map(all -> {
      List<World> worlds = new ArrayList<>(n);
      reads.forEach(f -> worlds.add(f.result()));
      return worlds;
    });
  }
}
