package dev.surge.pg;

import dev.surge.ServiceContext;
import dev.surge.testing.EchoService;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.netty.channel.EventLoop;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.SqlClient;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.surge.pg.LoopReads.backend;
import static dev.surge.pg.LoopReads.definition;
import static dev.surge.pg.LoopReads.firstLoop;
import static dev.surge.pg.LoopReads.inOneTask;
import static dev.surge.pg.LoopReads.leased;
import static dev.surge.pg.LoopReads.loops;
import static dev.surge.pg.LoopReads.onLoop;
import static dev.surge.pg.LoopReads.settledBackend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipelined client's reads issued on an event loop go to a connection of that loop's own: the pipelined pool
 * leases nothing for them (its lease per statement was a quarter of the loops' time at /queries), each loop has
 * its backend, a connection the server drops is replaced, and stopping the service closes them. Reads from other
 * threads (worker and virtual-thread models) still go through the pool; with pg.pipelinedPerEventLoop off, all do.
 */
class ReadsOnAnEventLoopGoToThatLoopsOwnConnectionTest {

  @Test
  void readsOnAnEventLoopTakeNoLeaseFromThePoolAndEachLoopHasABackendOfItsOwn() {
    AtomicReference<ServiceContext> context = new AtomicReference<>();
    try (TestService service = TestService.start(definition(context), Map.of("vertx.eventLoops", 2))) {
      SqlClient client = PostgresComponent.client(context.get());
      Iterator<EventLoop> loops = loops(context.get()).iterator();
      ContextInternal first = onLoop(context.get(), loops.next());
      ContextInternal second = onLoop(context.get(), loops.next());
      int firstBackend = settledBackend(service, client, first);
      int secondBackend = settledBackend(service, client, second);
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
      ContextInternal loop = firstLoop(context.get());
      backend(client, loop);
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
      ContextInternal loop = firstLoop(context.get());
      int dropped = settledBackend(service, client, loop);

      terminate(service.pgUrl(), dropped);
      int replaced = settledBackend(service, client, loop);

      assertThat(replaced).isNotEqualTo(dropped);
      for (int i = 0; i < 20; i++) {
        assertThat(backend(client, loop)).isEqualTo(replaced);
      }
    }
  }

  /** What keeps a loop whose server stalls from queueing reads without end: the pool's wait queue and timeout. */
  @Test
  void readsBeyondTheConnectionsPipeliningLimitGoToThePool() {
    AtomicReference<ServiceContext> context = new AtomicReference<>();
    try (TestService service = TestService.start(definition(context))) {
      SqlClient client = PostgresComponent.client(context.get());
      ContextInternal loop = firstLoop(context.get());
      settledBackend(service, client, loop);
      int limit = new PgConnectOptions().getPipeliningLimit();
      double leasedBefore = leased(service);

      inOneTask(loop, limit + 44, i -> client.query("SELECT 1").execute());

      assertThat(leased(service)).as("reads past the loop connection's %d in flight", limit).isEqualTo(leasedBefore + 44);
    }
  }

  @Test
  void aReadIsAnsweredOnTheContextOfTheRequestThatIssuedIt() {
    AtomicReference<ServiceContext> context = new AtomicReference<>();
    try (TestService service = TestService.start(definition(context))) {
      SqlClient client = PostgresComponent.client(context.get());
      ContextInternal loop = firstLoop(context.get());
      settledBackend(service, client, loop);
      ContextInternal request = loop.duplicate(); // as the HTTP server gives each request

      Promise<Boolean> answeredThere = Promise.promise();
      request.runOnContext(v -> client.query("SELECT 1").execute()
        .onComplete(ar -> answeredThere.complete(Vertx.currentContext() == request)));

      assertThat(TestService.await(answeredThere.future()))
        .as("what runs after the read is in the request's context (its span, its log fields)").isTrue();
    }
  }

  /** In one process beside others (the all-in-one mode), where the Vert.x outlives the service. */
  @Test
  void stoppingTheServiceClosesItsLoopsConnections() throws Exception {
    try (TestService host = TestService.start(EchoService.definition())) {
      AtomicReference<ServiceContext> context = new AtomicReference<>();
      TestService service = TestService.beside(host, definition(context), Map.of());
      Set<Integer> backends = new HashSet<>();
      try {
        SqlClient client = PostgresComponent.client(context.get());
        for (EventLoop loop : loops(context.get())) {
          backends.add(settledBackend(service, client, onLoop(context.get(), loop)));
        }
        assertThat(alive(host.pgUrl(), backends)).isEqualTo(backends.size());
      } finally {
        service.close();
      }

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (alive(host.pgUrl(), backends) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(alive(host.pgUrl(), backends)).as("the loops' backends after the service stopped").isZero();
    }
  }

  private static void terminate(String url, int pid) throws Exception {
    try (Connection c = SurgeTestEnvironment.jdbc(url)) {
      c.createStatement().execute("SELECT pg_terminate_backend(" + pid + ")");
    }
  }

  private static int alive(String url, Set<Integer> pids) throws Exception {
    String list = pids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    try (Connection c = SurgeTestEnvironment.jdbc(url);
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid IN (" + list + ")")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
