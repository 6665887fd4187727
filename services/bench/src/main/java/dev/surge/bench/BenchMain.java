package dev.surge.bench;

import dev.surge.pg.PgKeys;
import dev.surge.pg.PostgresComponent;
import dev.surge.pg.PostgresOptions;
import dev.surge.ServiceDefinition;
import dev.surge.Launcher;
import dev.surge.bench.tfb.AsyncTfbRoutes;
import dev.surge.bench.tfb.SequentialTfbRoutes;
import dev.surge.bench.tfb.WorldCache;
import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;

import java.util.List;

/**
 * The bench service: the TechEmpower Framework Benchmarks test types on the chassis, under the concurrency model
 * {@code bench.model} names: event-loop verticles, worker verticles (gunicorn's gthread) or virtual-thread
 * verticles written in sequential style with {@code Future.await} (gevent's greenlets).
 */
public final class BenchMain {

  public static final int DEFAULT_PORT = 8082;
  public static final ConfigKey<String> MODEL = ConfigKey.oneOf("bench.model", "event-loop",
    List.of("event-loop", "worker", "virtual-thread"),
    "Concurrency model of the bench endpoints: event-loop, worker (gthread) or virtual-thread (greenlets)");

  private BenchMain() {
  }

  public static ServiceDefinition definition() {
    WorldCache cache = new WorldCache();
    return ServiceDefinition.builder("bench")
      .defaultPort(DEFAULT_PORT)
      .withDefault(ChassisKeys.LOG_ACCESS, "off")
      // Its tables never grow (10,000 worlds, 12 fortunes): a generic plan made at start stays right on any server,
      // for the reads and for /updates' statement on the pool.
      .withDefault(PgKeys.PIPELINED_PLAN_CACHE_MODE, PostgresOptions.PLAN_CACHE_MODE_GENERIC)
      .withDefault(PgKeys.PLAN_CACHE_MODE, PostgresOptions.PLAN_CACHE_MODE_AUTO)
      .configKeys(List.of(MODEL))
      .threadingModelFrom(MODEL)
      .use(PostgresComponent.migrations("db/bench"))
      .onStart(ctx -> cache.load(PostgresComponent.pool(ctx)))
      .contract("openapi/bench.json")
      .http(ctx -> "virtual-thread".equals(ctx.config().get(MODEL))
        ? new SequentialTfbRoutes(ctx, cache)
        : new AsyncTfbRoutes(ctx, cache))
      .build();
  }

  public static void main(String[] args) {
    Launcher.run(definition(), args);
  }
}
