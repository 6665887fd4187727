package dev.surge.jobservice.jobs;

import dev.surge.pg.JobsComponent;
import dev.surge.http.ClientAddresses;
import io.vertx.ext.web.RoutingContext;

import dev.surge.ServiceContext;
import dev.surge.config.ChassisKeys;
import dev.surge.http.Problem;
import dev.surge.jobs.JobQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * All of a process's {@code GET /jobs/{id}/events} streams: how many there may be (in all, and from one client
 * address: beyond either the stream is refused with a problem and {@code Retry-After}), how long each may last,
 * and the one source that feeds every stream of a job. The source reads the job every {@link #POLL_MS} ms while
 * anyone watches it and publishes what it read on the job's local event-bus address, where the queue publishes
 * the changes it makes on this node; each stream listens there. So a job watched by a hundred clients costs one
 * query a second, not a hundred. Every stream ticks the source once a second and the source reads only when its
 * last read is a second old: no timer of its own, which would belong to one HTTP verticle's context and die with
 * it (an instance restarted by the supervisor), while the streams of other instances still needed it.
 *
 * <p>Shared by the HTTP verticles of the process (their event loops call it), hence synchronized: each call only
 * updates counts and maps.
 */
public final class JobEventStreams {

  static final long POLL_MS = 1000;
  private static final long POLL_NANOS = POLL_MS * 1_000_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final JobQueue jobs;
  private final int maxStreams;
  private final int maxStreamsPerClient;
  private final Duration maxLife;
  private final long retryAfterSeconds;
  private final Counter polls;
  private final ClientAddresses clients;
  private final Map<String, Integer> perClient = new HashMap<>();
  /** Job id to the number of its streams and the time ({@link System#nanoTime}) its source last read it. */
  private final Map<Long, long[]> sources = new HashMap<>();
  private int streams;

  public JobEventStreams(ServiceContext context, EventStreamOptions options) {
    this.vertx = context.vertx();
    this.jobs = JobsComponent.queue(context);
    this.maxStreams = options.maxStreams();
    this.maxStreamsPerClient = options.maxStreamsPerClient();
    this.maxLife = options.maxLife();
    this.clients = new ClientAddresses(options.trustedProxies(), ClientAddresses.X_FORWARDED_FOR);
    this.retryAfterSeconds = Math.max(1, context.config().get(ChassisKeys.HTTP_RETRY_AFTER).toSeconds());
    Gauge.builder("surge_job_streams", this, s -> s.count(false))
      .description("Open GET /jobs/{id}/events streams").register(context.registry());
    Gauge.builder("surge_job_stream_sources", this, s -> s.count(true))
      .description("Jobs read for their event streams (one read a second each, whatever their number of streams)")
      .register(context.registry());
    this.polls = Counter.builder("surge_job_stream_polls").description("Reads of a job for its event streams")
      .register(context.registry());
  }

  /**
   * Whom a stream is counted for: the connection's peer, or the client a trusted proxy (the gateway, listed in
   * {@code jobs.events.trustedProxies}) names in X-Forwarded-For, so clients behind the gateway are counted apart;
   * an IPv6 client by its /64 ({@link ClientAddresses#limited}).
   */
  String client(RoutingContext ctx) {
    return clients.limited(ctx);
  }

  /**
   * A stream for {@code client} on job {@code id}, counted from now until it closes.
   *
   * @throws dev.surge.http.ProblemException 429 when the client has {@code jobs.events.maxStreamsPerClient}
   *                                         open, 503 when the process has {@code jobs.events.maxStreams}
   */
  synchronized JobEventStream open(String client, long id, HttpServerResponse response) {
    int own = perClient.getOrDefault(client, 0);
    if (own >= maxStreamsPerClient) {
      throw Problem.of(429, "too-many-streams", "Too many event streams")
        .detail("This client has " + own + " event streams open, the most allowed (jobs.events.maxStreamsPerClient)")
        .header("Retry-After", String.valueOf(retryAfterSeconds)).asException();
    }
    if (streams >= maxStreams) {
      throw Problem.unavailable("too-many-streams", "Too many event streams",
        "The service has " + streams + " event streams open, the most allowed (jobs.events.maxStreams)",
        retryAfterSeconds).asException();
    }
    perClient.put(client, own + 1);
    streams++;
    return new JobEventStream(vertx, this, client, id, response, maxLife);
  }

  /** The stream has begun: its job's source lives while it lasts. */
  synchronized void watch(long id) {
    long[] source = sources.get(id);
    if (source != null) {
      source[0]++;
    } else {
      sources.put(id, new long[] {1, System.nanoTime()});
    }
  }

  /** A stream's tick, every {@link #POLL_MS} ms: the job is read unless its source read it less than that ago. */
  synchronized void tick(long id) {
    long[] source = sources.get(id);
    long now = System.nanoTime();
    if (source == null || now - source[1] < POLL_NANOS) {
      return;
    }
    source[1] = now;
    polls.increment();
    jobs.get(id).onSuccess(job -> vertx.eventBus().publish(JobQueue.eventsAddress(id), JobQueue.event(job), LOCAL));
  }

  /** The stream has ended: its slot is free, and its job's source stops with the last stream of the job. */
  synchronized void closed(String client, long id, boolean watched) {
    streams--;
    perClient.computeIfPresent(client, (c, n) -> n == 1 ? null : n - 1);
    long[] source = watched ? sources.get(id) : null;
    if (source != null && --source[0] == 0) {
      sources.remove(id);
    }
  }

  private synchronized int count(boolean sourcesOnly) {
    return sourcesOnly ? sources.size() : streams;
  }
}
