package dev.surge.jobs;

import dev.surge.pg.PostgresComponent;
import dev.surge.pg.JobsComponent;
import dev.surge.ServiceDefinition;
import dev.surge.testing.TcpProxy;
import dev.surge.testing.TestService;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node that reaches PostgreSQL through a proxy the test can cut (the machine's PostgreSQL serves other tests
 * and must never stop), and a second node on a direct connection whose rescuer takes the cut-off node's jobs
 * back to the queue once their lease expires. Only the cut-off node runs queue {@value #QUEUE}, one job at a
 * time, so it is the one that claims a rescued job again. Its handler holds the first {@code holdAttempts}
 * attempts of a job until the test releases them, whatever their cancellation says, as a handler stuck in a
 * call it cannot interrupt would.
 */
final class CutOffNode implements AutoCloseable {

  static final String QUEUE = "lease";
  static final String TYPE = "test.held";

  /** Per "id/attempt": started when its handler starts, and what the test releases it with. */
  record Gate(CompletableFuture<Void> started, CompletableFuture<JsonObject> release) {
  }

  private static final Map<String, Gate> gates = new ConcurrentHashMap<>();
  /** Attempts ("id/attempt") whose handler is running now, and what was running when each one started. */
  private static final Set<String> active = ConcurrentHashMap.newKeySet();
  static final Map<String, Set<String>> runningWhenStarted = new ConcurrentHashMap<>();

  final TestService rescuer;
  final TestService node;
  final TcpProxy proxy;
  private final Queue<JsonObject> events = new ConcurrentLinkedQueue<>();

  private CutOffNode() {
    gates.clear();
    active.clear();
    runningWhenStarted.clear();
    Map<String, Object> common = Map.of("jobs.pollInterval", "100ms", "jobs.lease", "1s", "jobs.backoffBase", "20ms");
    rescuer = TestService.start(definition(), with(common, Map.of("jobs.queues", "elsewhere=1")));
    PgConnectOptions pg = PgConnectOptions.fromUri(rescuer.pgUrl());
    proxy = TcpProxy.start(pg.getHost(), pg.getPort());
    String viaProxy = rescuer.pgUrl().replaceFirst("@[^/@]+/", "@127.0.0.1:" + proxy.port() + "/");
    node = TestService.anotherNode(rescuer, definition(), with(common,
      Map.of("jobs.queues", QUEUE + "=1", "pg.url", viaProxy, "pg.connectionTimeout", "1s")));
  }

  static CutOffNode start() {
    return new CutOffNode();
  }

  private static Map<String, Object> with(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> all = new java.util.HashMap<>(a);
    all.putAll(b);
    return all;
  }

  private static ServiceDefinition definition() {
    return ServiceDefinition.builder("leasetest")
      .defaultPort(0)
      .http(ctx -> router -> router.get("/").handler(rc -> rc.end("lease under test")))
      .use(PostgresComponent.create()).use(JobsComponent.of((ctx, jobs) -> jobs.register(TYPE, ThreadingModel.EVENT_LOOP, job -> {
        String key = job.id() + "/" + job.attempt();
        runningWhenStarted.put(key, Set.copyOf(active));
        active.add(key);
        Gate gate = gate(job.id(), job.attempt());
        gate.started().complete(null);
        Future<JsonObject> outcome = job.attempt() <= job.args().getInteger("holdAttempts", 0)
          ? Future.fromCompletionStage(gate.release(), Vertx.currentContext())
          : Future.succeededFuture(new JsonObject().put("attempt", job.attempt()));
        return outcome.andThen(ar -> active.remove(key));
      })))
      .build();
  }

  static Gate gate(long id, int attempt) {
    return gates.computeIfAbsent(id + "/" + attempt,
      k -> new Gate(new CompletableFuture<>(), new CompletableFuture<>()));
  }

  static void awaitStarted(long id, int attempt) {
    try {
      gate(id, attempt).started().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("attempt " + attempt + " of job " + id + " never started", e);
    }
  }

  static void release(long id, int attempt) {
    gate(id, attempt).release().complete(new JsonObject().put("attempt", attempt));
  }

  /** Enqueues on the cut-off node (while it is connected) and records the events it publishes for the job. */
  Job enqueue(int holdAttempts) {
    Job job = TestService.await(JobsComponent.queue(node.running().context()).enqueue(new JobRequest(TYPE,
      new JsonObject().put("holdAttempts", holdAttempts)).setQueue(QUEUE)));
    MessageConsumer<JsonObject> consumer = node.running().vertx().eventBus()
      .localConsumer(JobQueue.eventsAddress(job.id()), message -> events.add(message.body()));
    TestService.await(consumer.completion());
    return job;
  }

  /** The job as the rescuer node reads it, over its own connection. */
  Job await(long id, JobState state) {
    return TestJobs.awaitState(JobsComponent.queue(rescuer.running().context()), id, state);
  }

  /** The attempts the cut-off node reported as completing the job, over the event bus its event streams read. */
  List<Integer> completedEvents(long id) {
    return events.stream()
      .filter(e -> e.getLong("id") == id && JobState.COMPLETED.wire().equals(e.getString("state")))
      .map(e -> e.getInteger("attempt"))
      .toList();
  }

  /** Waits (30 s at most) for the cut-off node to report the job completed, and returns the attempts it reported. */
  List<Integer> awaitCompletedEvents(long id) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (completedEvents(id).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + id + " was never reported completed");
      }
      TestJobs.sleep(20);
    }
    return completedEvents(id);
  }

  double count(String meter) {
    Counter counter = node.running().context().registry().find(meter).tags("queue", QUEUE, "type", TYPE).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Waits (30 s at most) until the cut-off node's counter reaches {@code n}. */
  void awaitCount(String meter, double n) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (count(meter) < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(meter + " never reached " + n + "; it is " + count(meter));
      }
      TestJobs.sleep(20);
    }
  }

  int runningHere() {
    return TestService.await(JobsComponent.queue(node.running().context()).queues()).stream()
      .filter(q -> q.name().equals(QUEUE)).findFirst().orElseThrow().runningHere();
  }

  @Override
  public void close() {
    gates.values().forEach(g -> g.release().complete(new JsonObject()));
    try {
      node.close();
    } finally {
      proxy.close();
      rescuer.close();
    }
  }
}
