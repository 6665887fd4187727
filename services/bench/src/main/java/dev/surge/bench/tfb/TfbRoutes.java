package dev.surge.bench.tfb;

import dev.surge.http.MediaTypes;
import dev.surge.pg.PostgresComponent;
import dev.surge.HttpApi;
import dev.surge.ServiceContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * The seven test types. The ones that touch no database are the same in every model; the database ones are
 * written once per programming style by the subclasses.
 */
abstract class TfbRoutes implements HttpApi {

  protected final Pool pool;
  /** Single statements (/db, /fortunes), and the reads of /queries and /updates on an event loop. */
  protected final io.vertx.sqlclient.SqlClient client;
  private final WorldCache cache;

  TfbRoutes(ServiceContext context, WorldCache cache) {
    this.pool = PostgresComponent.pool(context);
    this.client = PostgresComponent.client(context);
    this.cache = cache;
  }

  @Override
  public final void routes(Router router) {
    router.get("/plaintext").handler(ctx -> Tfb.send(ctx, MediaTypes.TEXT, Buffer.buffer(Tfb.HELLO)));
    router.get("/json").handler(ctx -> Tfb.send(ctx, MediaTypes.JSON, Tfb.helloJson()));
    router.get("/db").handler(this::db);
    router.get("/queries").handler(ctx -> queries(ctx, Tfb.clampedCount(ctx.request().getParam("queries"))));
    router.get("/fortunes").handler(this::fortunes);
    router.get("/updates").handler(ctx -> updates(ctx, Tfb.clampedCount(ctx.request().getParam("queries"))));
    router.get("/cached-queries").handler(this::cachedQueries);
  }

  abstract void db(RoutingContext ctx);

  abstract void queries(RoutingContext ctx, int n);

  abstract void updates(RoutingContext ctx, int n);

  abstract void fortunes(RoutingContext ctx);

  /** The rows an update wrote, once it is done, given to the copy /cached-queries serves; returns them. */
  final List<World> written(List<World> updated) {
    cache.put(updated);
    return updated;
  }

  private void cachedQueries(RoutingContext ctx) {
    int n = Tfb.clampedCount(ctx.request().getParam("count"));
    List<World> worlds = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      worlds.add(cache.get(Tfb.randomWorldId()));
    }
    Tfb.send(ctx, MediaTypes.JSON, Tfb.json(worlds));
  }
}
