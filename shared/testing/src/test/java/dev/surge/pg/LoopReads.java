package dev.surge.pg;

import dev.surge.ServiceContext;
import dev.surge.ServiceDefinition;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.TestService;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** A service with the pipelined client, and reads issued on a chosen event loop of it: the loop tests' means. */
final class LoopReads {

  /** The pipelined pool's pool_name, with the service's name after it when it runs beside others. */
  static final String POOL = "pool_name=\"surge-pg-pipelined";

  private LoopReads() {
  }

  static ServiceDefinition definition(AtomicReference<ServiceContext> context) {
    return ServiceDefinition.builder("loops")
      .use(PostgresComponent.create())
      .http(ctx -> {
        context.set(ctx);
        return router -> { };
      })
      .build();
  }

  static Iterable<EventLoop> loops(ServiceContext context) {
    return () -> java.util.stream.StreamSupport.stream(
      ((VertxInternal) context.vertx()).nettyEventLoopGroup().spliterator(), false).map(e -> (EventLoop) e).iterator();
  }

  static ContextInternal firstLoop(ServiceContext context) {
    return onLoop(context, loops(context).iterator().next());
  }

  static ContextInternal onLoop(ServiceContext context, EventLoop loop) {
    return ((VertxInternal) context.vertx()).contextBuilder().withEventLoop(loop).build();
  }

  /**
   * The backend answering reads on {@code loop} once the loop has its connection: five reads in a row on one backend
   * with no lease from the pipelined pool (a loop's first reads, and those while it connects again, go to the pool).
   */
  static int settledBackend(TestService service, SqlClient client, ContextInternal loop) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      assertThat(System.nanoTime()).as("reads on the loop's own connection").isLessThan(deadline);
      double leases = leased(service);
      Set<Integer> backends = new HashSet<>();
      try {
        for (int i = 0; i < 5; i++) {
          backends.add(backend(client, loop));
        }
      } catch (RuntimeException dropped) { // a read in flight as the server dropped its connection
        continue;
      }
      if (backends.size() == 1 && leased(service) == leases) {
        return backends.iterator().next();
      }
    }
  }

  /** Issues {@code n} reads in one task on {@code loop} (as a request issues its reads) and waits for them all. */
  static void inOneTask(ContextInternal loop, int n, IntFunction<Future<?>> read) {
    Promise<Void> all = Promise.promise();
    loop.runOnContext(v -> {
      List<Future<?>> reads = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        reads.add(read.apply(i));
      }
      Future.all(reads).<Void>mapEmpty().onComplete(all);
    });
    TestService.await(all.future());
  }

  /** {@code pg_backend_pid()} of a read issued on {@code loop}. */
  static int backend(SqlClient client, ContextInternal loop) {
    Promise<Integer> pid = Promise.promise();
    loop.runOnContext(v -> client.query("SELECT pg_backend_pid()").execute()
      .map(rows -> rows.iterator().next().getInteger(0)).onComplete(pid));
    return TestService.await(pid.future());
  }

  static double leased(TestService service) {
    return MetricsScrape.sum(service.get("/metrics").bodyAsString(), "vertx_pool_completed_total", POOL);
  }
}
