package dev.surge.bench.tfb;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The World table held in memory for the cached-queries test type: loaded once at start, then given the rows each
 * /updates writes, so it serves what the table holds.
 */
public final class WorldCache {

  /** Read and written from every event loop and worker: each row is published to them all. */
  private final AtomicReferenceArray<World> worlds = new AtomicReferenceArray<>(Tfb.WORLD_ROWS);

  public Future<Void> load(Pool pool) {
    return pool.query("SELECT id, randomnumber FROM world").execute().map(rows -> {
      for (Row row : rows) {
        put(new World(row.getInteger(0), row.getInteger(1)));
      }
      return null;
    });
  }

  World get(int id) {
    return worlds.get(id - 1);
  }

  /** Rows as stored: an update's, once PostgreSQL has written them. */
  void put(List<World> written) {
    written.forEach(this::put);
  }

  private void put(World w) {
    worlds.set(w.id() - 1, w);
  }
}
