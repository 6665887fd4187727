package dev.surge.pg;

import dev.surge.ServiceContext;
import dev.surge.ServiceDefinition;
import dev.surge.testing.EchoService;
import dev.surge.testing.MetricsScrape;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.netty.channel.EventLoop;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.sqlclient.SqlClient;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipelined client's reads issued on an event loop go to a connection of that loop's own: the pipelined pool
 * leases nothing for them (its lease per statement was a quarter of the loops' time at /queries), each loop has
 * its backend, a connection the server drops is replaced, and stopping the service closes them. Reads from other
 * threads (worker and virtual-thread models) still go through the pool; with pg.pipelinedPerEventLoop off, all do.
 */
class ReadsOnAnEventLoopGoToThatLoopsOwnConnectionTest {

  private static final String POOL = "pool_name=\"surge-pg-pipelined\"";

  @Test
  void readsOnAnEventLoopTakeNoLeaseFromThePoolAndEachLoopHasABackendOfItsOwn() {
    AtomicReference<ServiceContext> context = new AtomicReference<>();
    try (TestService service = TestService.start(definition(context), Map.of("vertx.eventLoops", 2))) {
      SqlClient client = PostgresComponent.client(context.get());
      Iterator<EventLoop> loops = loops(context.get()).iterator();
      ContextInternal first = onLoop(context.get(), loops.next());
      ContextInternal second = onLoop(context.get(), loops.next());
      int firstBackend = settledBackend(client, first);
      int secondBackend = settledBackend(client, second);
      double leasedBefore = leased(service);

      for (int i = 0; i < 50; i++) {
        assertThat(backend(client, first)).isEqualTo(firstBackend);
        assertThat(backend(client, second)).isEqualTo(secondBackend);
      }

      assertThat(secondBackend).as("each loop's own backend").isNotEqualTo(firstBackend);
      assertThat(leased(service)).as("leases of the pipelined pool").isEqualTo(leasedBefore);
      int onWorker = TestService.await(context.get().vertx().executeBlocking(() ->
        TestService.await(client.query("SELECT pg_backend_pid()").execute()).iterator().next().getInteger(0)));
      assertThat(onWorker).as("a read from a worker thread").isNotIn(firstBackend, secondBackend);
      assertThat(leased(service)).as("leases of the pipelined pool").isEqualTo(leasedBefore + 1);
    }
  }

  @Test
  void withTheKeyOffEveryReadTakesALeaseFromThePool() {
    AtomicReference<ServiceContext> context = new AtomicReference<>();
    try (TestService service = TestService.start(definition(context),
      Map.of(PgKeys.PIPELINED_PER_EVENT_LOOP.name(), false))) {
      SqlClient client = PostgresComponent.client(context.get());
      ContextInternal loop = onLoop(context.get(), loops(context.get()).iterator().next());
      settledBackend(client, loop);
      double leasedBefore = leased(service);

      for (int i = 0; i < 20; i++) {
        backend(client, loop);
      }

      assertThat(leased(service)).isEqualTo(leasedBefore + 20);
    }
  }

  @Test
  void aConnectionTheServerDropsIsReplacedAndReadsGoOn() throws Exception {
    AtomicReference<ServiceContext> context = new AtomicReference<>();
    try (TestService service = TestService.start(definition(context))) {
      SqlClient client = PostgresComponent.client(context.get());
      ContextInternal loop = onLoop(context.get(), loops(context.get()).iterator().next());
      int dropped = settledBackend(client, loop);

      terminate(service.pgUrl(), dropped);
      int replaced = settledBackend(client, loop);

      assertThat(replaced).isNotEqualTo(dropped);
      for (int i = 0; i < 20; i++) {
        assertThat(backend(client, loop)).isEqualTo(replaced);
      }
    }
  }

  /** In one process beside others (the all-in-one mode), where the Vert.x outlives the service. */
  @Test
  void stoppingTheServiceClosesItsLoopsConnections() throws Exception {
    try (TestService host = TestService.start(EchoService.definition())) {
      AtomicReference<ServiceContext> context = new AtomicReference<>();
      TestService service = TestService.beside(host, definition(context), Map.of());
      int backend;
      try {
        SqlClient client = PostgresComponent.client(context.get());
        backend = settledBackend(client, onLoop(context.get(), loops(context.get()).iterator().next()));
        assertThat(alive(host.pgUrl(), backend)).isTrue();
      } finally {
        service.close();
      }

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (alive(host.pgUrl(), backend) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(alive(host.pgUrl(), backend)).as("the loop's backend after the service stopped").isFalse();
    }
  }

  private static ServiceDefinition definition(AtomicReference<ServiceContext> context) {
    return ServiceDefinition.builder("loops")
      .use(PostgresComponent.create())
      .http(ctx -> {
        context.set(ctx);
        return router -> { };
      })
      .build();
  }

  private static Iterable<EventLoop> loops(ServiceContext context) {
    return () -> java.util.stream.StreamSupport.stream(
      ((VertxInternal) context.vertx()).nettyEventLoopGroup().spliterator(), false).map(e -> (EventLoop) e).iterator();
  }

  private static ContextInternal onLoop(ServiceContext context, EventLoop loop) {
    return ((VertxInternal) context.vertx()).contextBuilder().withEventLoop(loop).build();
  }

  /** The backend answering reads on {@code loop}, once the loop has connected (its first reads go to the pool). */
  private static int settledBackend(SqlClient client, ContextInternal loop) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int last = -1;
    int same = 0;
    while (same < 5) {
      assertThat(System.nanoTime()).as("reads on one loop settling on one backend").isLessThan(deadline);
      int now;
      try {
        now = backend(client, loop);
      } catch (RuntimeException dropped) { // a read in flight as the server dropped its connection
        now = -1;
      }
      same = now == last && now != -1 ? same + 1 : 0;
      last = now;
    }
    return last;
  }

  /** {@code pg_backend_pid()} of a read issued on {@code loop}. */
  private static int backend(SqlClient client, ContextInternal loop) {
    Promise<Integer> pid = Promise.promise();
    loop.runOnContext(v -> client.query("SELECT pg_backend_pid()").execute()
      .map(rows -> rows.iterator().next().getInteger(0)).onComplete(pid));
    return TestService.await(pid.future());
  }

  private static double leased(TestService service) {
    return MetricsScrape.sum(service.get("/metrics").bodyAsString(), "vertx_pool_completed_total", POOL);
  }

  private static void terminate(String url, int pid) throws Exception {
    try (Connection c = SurgeTestEnvironment.jdbc(url)) {
      c.createStatement().execute("SELECT pg_terminate_backend(" + pid + ")");
    }
  }

  private static boolean alive(String url, int pid) throws Exception {
    try (Connection c = SurgeTestEnvironment.jdbc(url);
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }
}
