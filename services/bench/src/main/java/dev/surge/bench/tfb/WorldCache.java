package dev.surge.bench.tfb;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/** The World table held in memory, loaded once at start, for the cached-queries test type. */
public final class WorldCache {

  private volatile World[] worlds = new World[0];

  public Future<Void> load(Pool pool) {
    return pool.query("SELECT id, randomnumber FROM world").execute().map(rows -> {
      World[] loaded = new World[Tfb.WORLD_ROWS];
      for (Row row : rows) {
        World w = new World(row.getInteger(0), row.getInteger(1));
        loaded[w.id() - 1] = w;
      }
      worlds = loaded;
      return null;
    });
  }

  World get(int id) {
    return worlds[id - 1];
  }
}
