package dev.surge.jobs.impl;

import dev.surge.jobs.JobQueueOptions;
import dev.surge.jobs.JobState;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The node's one dispatcher, on one event loop, so its bookkeeping needs no locks. It claims jobs sized to each
 * queue's free slots whenever PostgreSQL notifies it (or its poll comes round), sends each attempt to the runner
 * of its threading model over the local event bus, and stores outcomes: completions in batches, one statement
 * for however many finished while the previous one ran. It also renews the leases of what it runs, moves due
 * scheduled and retryable jobs to available, rescues jobs whose node stopped renewing, and prunes old jobs.
 *
 * <p>Attempts are keyed by job id and attempt number, and every write of an attempt's outcome, lease or hand-back
 * names both and this node: a node cut off from PostgreSQL for longer than the lease may find its job rescued and
 * claim it again, and then the first attempt's outcome must change neither the job's row nor the second attempt's
 * slot. An outcome the row no longer takes is logged and counted ({@code surge_jobs_stale_outcomes}), never
 * reported as the job's.
 */
final class Dispatcher extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final long RETRY_WRITE_MS = 1000;
  private static final long DEPTH_REFRESH_MS = 5000;
  private static final long CLAIM_WARNING_INTERVAL_NANOS = 60_000_000_000L;
  private static final long STATISTICS_BACKOFF_NANOS = 600_000_000_000L;

  private final JobQueueImpl jobs;
  private final JobQueueOptions options;
  private final long leaseMs;
  private final Map<String, Slots> queues = new LinkedHashMap<>();
  private final Map<Attempt.Key, Attempt> running = new HashMap<>();
  /** Attempts whose outcome is not stored yet: their leases are still renewed, so nobody rescues them meanwhile. */
  private final Map<Attempt.Key, Attempt> finishing = new HashMap<>();
  /**
   * Attempts being checked for a cancellation that stopped them ({@link #stopIfCancelled}), each with whether a
   * renewal found this node no longer holds it (then it ends as a lease lost unless a cancellation stopped it).
   */
  private final Map<Attempt.Key, Boolean> beingStopped = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private List<Attempt> toComplete = new ArrayList<>();
  private boolean flushing;
  private String[] types;
  private PgSubscriber subscriber;
  private boolean stopping;
  private Promise<Void> idle;
  private long renewTimer;
  /** Jobs claimed since the planner's statistics were last compared with what the table holds. */
  private long claimedSinceStatistics;
  private boolean checkingStatistics;
  /** When an ANALYZE left the estimate wrong: not tried again before this (System.nanoTime()); 0 when it did not. */
  private long statisticsRetryAt;

  Dispatcher(JobQueueImpl jobs) {
    this.jobs = jobs;
    this.options = jobs.options();
    this.leaseMs = options.getLease().toMillis();
  }

  static final class Slots {
    final String name;
    final int limit;
    volatile int running;
    volatile boolean paused;
    boolean claiming;
    boolean again;
    /**
     * The last claim found fewer jobs than it asked for, and no wake-up came since: a slot freed now needs no claim
     * (at 20 jobs a second every job's end made one that found nothing); the next notification or poll claims.
     */
    boolean drained;
    long lastClaimWarning;

    Slots(String name, int limit) {
      this.name = name;
      this.limit = limit;
    }
  }

  io.vertx.core.Context context() {
    return context;
  }

  Map<String, Slots> slots() {
    return queues;
  }

  @Override
  public Future<?> start() {
    types = jobs.types().toArray(String[]::new);
    options.getQueues().forEach((name, limit) -> queues.put(name, new Slots(name, limit)));
    return claimFunctionPresent().compose(v -> startDispatching());
  }

  /**
   * Claims go through the schema's {@code surge_jobs_claim} (migration V3): without it every claim would fail and
   * the queue stand still, so a node refuses to start instead. A database it cannot reach yet is no reason to
   * refuse: the poll claims once it can.
   */
  private Future<Void> claimFunctionPresent() {
    return jobs.pool().query(JobSql.CLAIM_FUNCTION_PRESENT).execute()
      .map(rows -> rows.iterator().next().getBoolean(0))
      .otherwise(err -> true)
      .compose(present -> present ? Future.succeededFuture() : Future.failedFuture(new IllegalStateException(
        "The job queue's tables are older than this library: the function surge_jobs_claim is missing. Run the "
          + "migrations in db/surge-jobs (V3 adds it) before starting a node")));
  }

  private Future<?> startDispatching() {
    subscriber = PgSubscriber.subscriber(vertx, jobs.connectOptions()).reconnectPolicy(retries -> 500L);
    subscriber.channel(JobSql.JOBS_CHANNEL).handler(this::wake).subscribeHandler(v -> claimAll());
    subscriber.channel(JobSql.CONTROL_CHANNEL).handler(this::control);
    timers.add(vertx.setPeriodic(options.getPollInterval().toMillis(), id -> poll()));
    renewTimer = vertx.setPeriodic(Math.max(100, leaseMs / 3), id -> renew());
    timers.add(vertx.setPeriodic(Math.max(250, leaseMs / 2), id -> rescue()));
    timers.add(vertx.setPeriodic(Math.max(1000, Math.min(options.getRetention().toMillis(), 60_000)), id -> prune()));
    timers.add(vertx.setPeriodic(DEPTH_REFRESH_MS, id -> refreshDepth()));
    return listen()
      .compose(v -> refreshPaused())
      .onSuccess(v -> {
        claimAll();
        refreshDepth();
      });
  }

  /**
   * Connects the LISTEN connection; until it is up the poll finds the work, so a failure here only delays
   * wake-ups: it is retried every second. Once connected, the subscriber reconnects by itself.
   */
  private Future<Void> listen() {
    return subscriber.connect().recover(err -> {
      LOG.warn("Cannot listen for job notifications ({}); polling every {} ms meanwhile, and retrying",
        err.getMessage(), options.getPollInterval().toMillis());
      vertx.setTimer(1000, id -> {
        if (!stopping) {
          listen();
        }
      });
      return Future.succeededFuture();
    });
  }

  private void poll() {
    if (stopping) {
      return;
    }
    jobs.pool().query(JobSql.STAGE).execute()
      .onFailure(err -> LOG.debug("Staging due jobs failed: {}", err.getMessage()));
    refreshPaused().onComplete(ar -> claimAll());
    analyzeIfStatisticsUndercount();
  }

  /**
   * Analyzes the jobs table when the planner counts on fewer rows than this node alone claimed from it since the
   * last look. Statistics taken while the table held no live row (a quiet spell after the old jobs were pruned, or a
   * table emptied by hand) make PostgreSQL count on one row whatever the table has grown to since; every statement
   * that finds jobs by id is then planned as for one row, and a completion of 300 jobs read a whole index for each
   * (docs/BENCHMARKS.md). Autovacuum would analyze it within a minute or so where it runs; a server without it never
   * would. One catalog read a poll while jobs are claimed; an ANALYZE only when the estimate is wrong. When an
   * ANALYZE leaves it wrong (a role that does not own the table gets PostgreSQL's warning and no new statistics; a
   * vacuum held the table), the node says so once and looks again after {@link #STATISTICS_BACKOFF_NANOS}.
   */
  private void analyzeIfStatisticsUndercount() {
    if (claimedSinceStatistics == 0 || checkingStatistics
      || statisticsRetryAt != 0 && System.nanoTime() - statisticsRetryAt < 0) {
      return;
    }
    long claimed = claimedSinceStatistics;
    claimedSinceStatistics = 0;
    checkingStatistics = true;
    plannedRows()
      .compose(planned -> {
        if (planned == null || planned >= claimed) {
          return Future.succeededFuture();
        }
        LOG.info("The planner counts on {} rows in surge_jobs, and this node has just claimed {} jobs from it: "
          + "analyzing it, so that the queue's statements are planned for what it holds", Math.round(planned), claimed);
        return jobs.pool().query(JobSql.ANALYZE).execute().compose(v -> plannedRows()).map(after -> {
          if (after != null && after < claimed) {
            statisticsRetryAt = System.nanoTime() + STATISTICS_BACKOFF_NANOS;
            LOG.warn("ANALYZE left the planner counting on {} rows in surge_jobs (the role must own the table, and "
              + "no vacuum hold it): not tried again for {} minutes", Math.round(after),
              java.util.concurrent.TimeUnit.NANOSECONDS.toMinutes(STATISTICS_BACKOFF_NANOS));
          }
          return null;
        });
      })
      .onComplete(ar -> {
        checkingStatistics = false;
        if (ar.failed()) {
          LOG.debug("Checking the job table's statistics failed: {}", ar.cause().getMessage());
        }
      });
  }

  /** The rows the planner counts on in surge_jobs; null before the table has statistics. */
  private Future<Double> plannedRows() {
    return jobs.pool().query(JobSql.PLANNED_ROWS).execute()
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getDouble(0));
  }

  private void claimAll() {
    queues.keySet().forEach(this::wake);
  }

  /** Claims for a queue that may have jobs: notified, polled or resumed. */
  private void wake(String queue) {
    Slots slots = queues.get(queue);
    if (slots != null) {
      slots.drained = false;
      claim(queue);
    }
  }

  private void claim(String queue) {
    Slots slots = queues.get(queue);
    if (slots == null || types.length == 0 || stopping || slots.paused) {
      return;
    }
    if (slots.claiming) {
      slots.again = true;
      return;
    }
    int free = slots.limit - slots.running;
    if (free <= 0) {
      return;
    }
    slots.claiming = true;
    slots.again = false;
    jobs.pool().preparedQuery(JobSql.CLAIM)
      .execute(Tuple.of(queue, types, free, leaseMs, jobs.node()))
      .onComplete(ar -> {
        slots.claiming = false;
        if (ar.failed()) {
          claimFailed(slots, ar.cause());
          return;
        }
        claimedSinceStatistics += ar.result().size();
        for (Row row : ar.result()) {
          run(row, slots);
        }
        slots.drained = ar.result().size() < free && !slots.again;
        if (ar.result().size() == free || slots.again) {
          claim(queue);
        }
      });
  }

  /** A claim that failed: said at WARN once a minute per queue (the poll retries every second), else at DEBUG. */
  private void claimFailed(Slots slots, Throwable cause) {
    long now = System.nanoTime();
    if (now - slots.lastClaimWarning >= CLAIM_WARNING_INTERVAL_NANOS || slots.lastClaimWarning == 0) {
      slots.lastClaimWarning = now;
      LOG.warn("Claiming from queue {} failed (said again in a minute at most): {}", slots.name, cause.getMessage());
    } else {
      LOG.debug("Claiming from queue {} failed: {}", slots.name, cause.getMessage());
    }
  }

  private void run(Row row, Slots slots) {
    String type = row.getString("type");
    JobQueueImpl.Registered registered = jobs.handler(type);
    Attempt attempt = new Attempt(row.getLong("id"), type, row.getString("queue"), row.getInteger("attempt"),
      row.getInteger("max_attempts"), row.getLong("timeout_ms"), row.getJsonObject("args"), registered.handler(),
      registered.model(), row.getString("trace_parent"), vertx, jobs);
    if (stopping) { // claimed while the node began to stop: hand it straight back
      release(List.of(attempt));
      return;
    }
    slots.running++;
    running.put(attempt.key, attempt);
    attempt.startedNanos = System.nanoTime();
    jobs.metrics().started(attempt.queue, type, row.getDouble("waited_ms"));
    jobs.publish(attempt, JobState.RUNNING, null);
    attempt.timeoutTimer = vertx.setTimer(attempt.timeoutMs, id -> timedOut(attempt));
    DeliveryOptions delivery = new DeliveryOptions().setLocalOnly(true).setCodecName(jobs.codecName())
      .setSendTimeout(attempt.timeoutMs + 60_000);
    vertx.eventBus().<JsonObject>request(jobs.runAddress(attempt.model), attempt, delivery)
      .onComplete(ar -> {
        if (ar.succeeded()) {
          completed(attempt, ar.result());
        } else {
          boolean permanent = ar.cause() instanceof ReplyException reply
            && reply.failureCode() == JobRunnerVerticle.FAILED_PERMANENTLY;
          java.util.OptionalLong nanos = ended(attempt);
          if (nanos.isPresent()) {
            fail(attempt, jobs.errorText(attempt, ar.cause().getMessage()), nanos.getAsLong(), permanent);
          } else if (attempt.leaseLost) {
            stale(attempt, "failed");
          }
        }
      });
  }

  /** Takes a finished attempt off the running set and frees its slot; empty when it was already taken off. */
  private java.util.OptionalLong ended(Attempt attempt) {
    if (!running.remove(attempt.key, attempt)) {
      return java.util.OptionalLong.empty();
    }
    vertx.cancelTimer(attempt.timeoutTimer);
    Slots slots = queues.get(attempt.queue);
    slots.running--;
    if (!slots.drained) {
      vertx.runOnContext(v -> claim(attempt.queue));
    }
    return java.util.OptionalLong.of(System.nanoTime() - attempt.startedNanos);
  }

  private void completed(Attempt attempt, Message<JsonObject> reply) {
    java.util.OptionalLong nanos = ended(attempt);
    if (nanos.isEmpty()) {
      if (attempt.leaseLost) {
        stale(attempt, "completed");
      }
      return;
    }
    attempt.result = reply.body();
    attempt.runNanos = nanos.getAsLong();
    finishing.put(attempt.key, attempt);
    toComplete.add(attempt);
    flush();
  }

  private void flush() {
    if (flushing || toComplete.isEmpty()) {
      return;
    }
    List<Attempt> batch = toComplete;
    toComplete = new ArrayList<>();
    flushing = true;
    Long[] ids = new Long[batch.size()];
    Integer[] attempts = new Integer[batch.size()];
    String[] results = new String[batch.size()];
    for (int i = 0; i < ids.length; i++) {
      Attempt a = batch.get(i);
      ids[i] = a.id;
      attempts[i] = a.attempt;
      results[i] = a.result == null ? null : a.result.encode();
    }
    jobs.pool().preparedQuery(JobSql.COMPLETE).execute(Tuple.of(ids, attempts, results, jobs.node())).onComplete(ar -> {
      flushing = false;
      if (ar.failed()) {
        LOG.warn("Storing {} completed jobs failed, retrying: {}", batch.size(), ar.cause().getMessage());
        batch.addAll(toComplete);
        toComplete = batch;
        vertx.setTimer(RETRY_WRITE_MS, id -> flush());
        return;
      }
      Set<Attempt.Key> stored = new HashSet<>(keys(ar.result()));
      for (Attempt a : batch) {
        finishing.remove(a.key, a);
        if (stored.contains(a.key)) {
          jobs.metrics().completed(a.queue, a.type, a.runNanos);
          jobs.publish(a, JobState.COMPLETED, null);
        } else {
          stale(a, "completed");
        }
      }
      flush();
      checkIdle();
    });
  }

  private void timedOut(Attempt attempt) {
    String reason = "timed out after " + attempt.timeoutMs + " ms";
    ended(attempt).ifPresent(nanos -> {
      attempt.cancel(reason);
      fail(attempt, reason, nanos, false);
    });
  }

  /** Stores a failed attempt: retryable while attempts remain, unless {@code permanent}; otherwise discarded. */
  private void fail(Attempt attempt, String error, long nanos, boolean permanent) {
    finishing.put(attempt.key, attempt);
    long backoff = Backoff.delayMs(options, attempt.attempt);
    jobs.pool().preparedQuery(JobSql.FAIL)
      .execute(Tuple.of(attempt.id, attempt.attempt, backoff, error, jobs.node(), permanent))
      .onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("Storing the failure of job {} failed, retrying: {}", attempt.id, ar.cause().getMessage());
          vertx.setTimer(RETRY_WRITE_MS, id -> fail(attempt, error, nanos, permanent));
          return;
        }
        finishing.remove(attempt.key, attempt);
        if (ar.result().size() == 0) {
          stale(attempt, "failed");
        } else {
          JobState state = JobState.fromWire(ar.result().iterator().next().getString("state"));
          jobs.metrics().failed(attempt.queue, attempt.type, nanos, state == JobState.RETRYABLE);
          jobs.publish(attempt, state, error);
          LOG.info("Job {} ({}) attempt {}/{} failed: {}; now {}", attempt.id, attempt.type, attempt.attempt,
            attempt.maxAttempts, error, state.wire());
        }
        checkIdle();
      });
  }

  private void control(String payload) {
    int colon = payload.indexOf(':');
    if (colon < 0) {
      return;
    }
    String verb = payload.substring(0, colon);
    String arg = payload.substring(colon + 1);
    switch (verb) {
      case "cancel" -> {
        long id = Long.parseLong(arg);
        // Looking through the running set is cheap, it is bounded by the queues' limits. An attempt here may be one
        // whose lease expired while the job ran again (here or elsewhere) and the cancellation stopped that one: the
        // table says which attempt it stopped.
        List<Attempt.Key> here = running.keySet().stream()
          .filter(key -> key.id() == id && beingStopped.putIfAbsent(key, false) == null).toList();
        if (!here.isEmpty()) {
          stopIfCancelled(here);
        }
      }
      case "pause", "resume" -> {
        if (queues.containsKey(arg)) {
          // Paused per owner: whether it is this node's owner that paused or resumed the queue is read again.
          refreshPaused().onComplete(ar -> wake(arg));
        }
      }
      default -> LOG.debug("Unknown job control message {}", payload);
    }
  }

  private void renew() {
    if (running.isEmpty() && finishing.isEmpty()) {
      return;
    }
    Set<Attempt.Key> sent = new HashSet<>(running.keySet());
    sent.addAll(finishing.keySet());
    jobs.pool().preparedQuery(JobSql.RENEW).execute(attempts(sent).addLong(leaseMs).addString(jobs.node()))
      .onSuccess(rows -> {
        Set<Attempt.Key> held = new HashSet<>(keys(rows));
        List<Attempt.Key> lost = new ArrayList<>();
        for (Attempt.Key key : sent) {
          // One being checked already (a notification's read on its way) is marked lost, for that read to end.
          if (!held.contains(key) && running.containsKey(key) && beingStopped.put(key, true) == null) {
            lost.add(key);
          }
        }
        if (!lost.isEmpty()) {
          stopIfCancelled(lost);
        }
      })
      .onFailure(err -> LOG.warn("Renewing the leases of {} running jobs failed: {}", sent.size(), err.getMessage()));
  }

  /**
   * Ends as cancelled those of the attempts ({@code keys}, in {@link #beingStopped}) that a cancellation stopped, and
   * those a renewal found no longer held otherwise as leases lost. Both a cancellation's notification and a renewal
   * lead here, whichever reaches the node first. Read anew, after the renewal: a renewal that waited on the
   * cancellation's row lock saw the job as it was before. The read is given a third of the lease (a renewal's
   * interval): the renewals skip an attempt while it is on its way.
   */
  private void stopIfCancelled(List<Attempt.Key> keys) {
    jobs.pool().preparedQuery(JobSql.STOPPED_BY_A_CANCELLATION).execute(attempts(keys))
      .timeout(Math.max(1, leaseMs / 3), TimeUnit.MILLISECONDS)
      .onComplete(ar -> stopIfCancelled(keys, ar));
  }

  private void stopIfCancelled(List<Attempt.Key> keys, AsyncResult<RowSet<Row>> ar) {
    Set<Attempt.Key> cancelled = new HashSet<>();
    if (ar.succeeded()) {
      cancelled.addAll(keys(ar.result()));
    } else {
      LOG.warn("Reading whether {} running jobs are cancelled failed: {}", keys.size(), ar.cause().getMessage());
    }
    for (Attempt.Key key : keys) {
      boolean lost = Boolean.TRUE.equals(beingStopped.remove(key));
      Attempt attempt = running.get(key);
      if (attempt == null) {
        continue; // it ended in the meantime
      }
      if (cancelled.contains(key)) {
        cancelled(attempt);
      } else if (lost) {
        LOG.warn("Job {} attempt {} no longer holds the job ({}): stopping it", key.id(), key.attempt(),
          ar.succeeded() ? "rescued after a lost lease" : "cancelled, or rescued after a lost lease");
        attempt.leaseLost = true;
        ended(attempt);
        attempt.cancel("no longer held by this node");
      } // else a notification for an attempt the cancellation did not stop: the next renewal finds it lost
    }
    checkIdle();
  }

  /** Attempts as a statement takes them: their ids ($1) and their attempts ($2), in one order. */
  private static Tuple attempts(Collection<Attempt.Key> keys) {
    Long[] ids = keys.stream().map(Attempt.Key::id).toArray(Long[]::new);
    Integer[] attempts = keys.stream().map(Attempt.Key::attempt).toArray(Integer[]::new);
    return Tuple.tuple().addArrayOfLong(ids).addArrayOfInteger(attempts); // Tuple.of(ids, attempts) would spread them
  }

  /** The attempts a statement returned, by their {@code id} and {@code attempt} columns. */
  private static List<Attempt.Key> keys(RowSet<Row> rows) {
    List<Attempt.Key> keys = new ArrayList<>(rows.size());
    rows.forEach(row -> keys.add(new Attempt.Key(row.getLong("id"), row.getInteger("attempt"))));
    return keys;
  }

  /** An attempt running here whose job was cancelled: its handler told, the cancellation counted and published. */
  private void cancelled(Attempt attempt) {
    if (ended(attempt).isEmpty()) {
      return;
    }
    attempt.cancel("cancelled");
    jobs.metrics().cancelled(attempt.queue, attempt.type);
    jobs.publish(attempt, JobState.CANCELLED, "cancelled");
  }

  private void rescue() {
    if (stopping) {
      return;
    }
    jobs.pool().query(JobSql.RESCUE).execute().onSuccess(rows -> {
      List<Long> ids = new ArrayList<>();
      for (Row row : rows) {
        ids.add(row.getLong("id"));
        jobs.metrics().rescued(row.getString("queue"), row.getString("type"));
      }
      if (!ids.isEmpty()) {
        LOG.warn("Rescued {} jobs whose node stopped renewing their lease: {}", ids.size(), ids);
      }
    }).onFailure(err -> LOG.debug("Rescuing expired jobs failed: {}", err.getMessage()));
  }

  private void prune() {
    jobs.pool().preparedQuery(JobSql.PRUNE).execute(Tuple.of(options.getRetention().toMillis()))
      .onSuccess(rows -> {
        if (rows.rowCount() > 0) {
          LOG.info("Pruned {} finished jobs older than {}", rows.rowCount(), options.getRetention());
        }
      })
      .onFailure(err -> LOG.debug("Pruning finished jobs failed: {}", err.getMessage()));
  }

  private Future<Void> refreshPaused() {
    return jobs.pool().preparedQuery(JobSql.PAUSED_QUEUES).execute(Tuple.of(options.getOwner())).map(rows -> {
      Set<String> paused = new HashSet<>();
      rows.forEach(row -> paused.add(row.getString("name")));
      queues.values().forEach(slots -> slots.paused = paused.contains(slots.name));
      return (Void) null;
    }).otherwise(err -> null);
  }

  private void refreshDepth() {
    jobs.depth(null).onSuccess(depth -> {
      Map<String, Map<JobState, Long>> all = new LinkedHashMap<>();
      queues.keySet().forEach(q -> all.put(q, new EnumMap<>(JobState.class)));
      all.putAll(depth);
      all.values().forEach(JobQueueImpl::fillDepth);
      jobs.metrics().depth(all);
    });
  }

  /**
   * Stops claiming, waits up to {@code grace} for the running attempts, cancels and releases the rest, and
   * waits (a few seconds at most) for the outcomes still being stored.
   */
  Future<Void> drain(Duration grace) {
    stopping = true;
    timers.forEach(vertx::cancelTimer);
    Promise<Void> done = Promise.promise();
    idle = done;
    vertx.setTimer(Math.max(1, grace.toMillis()), id -> interruptRemaining());
    vertx.setTimer(grace.toMillis() + 5000, id -> {
      if (done.tryComplete()) {
        LOG.warn("Stopped with {} job outcomes not stored: their leases will expire and they will run again",
          finishing.size() + toComplete.size());
      }
    });
    checkIdle();
    return done.future().eventually(() -> {
      vertx.cancelTimer(renewTimer);
      return subscriber.close();
    });
  }

  private void interruptRemaining() {
    if (running.isEmpty()) {
      return;
    }
    List<Attempt> interrupted = new ArrayList<>(running.values());
    LOG.warn("Grace period over: cancelling {} running jobs and handing them back to the queue", interrupted.size());
    interrupted.forEach(a -> {
      ended(a);
      a.cancel("node stopping");
    });
    release(interrupted);
  }

  private void release(List<Attempt> attempts) {
    attempts.forEach(a -> finishing.put(a.key, a));
    jobs.pool().preparedQuery(JobSql.RELEASE)
      .execute(attempts(attempts.stream().map(a -> a.key).toList()).addString(jobs.node()))
      .onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("Handing back {} jobs failed ({}): they will be rescued when their lease expires", attempts.size(),
            ar.cause().getMessage());
        }
        attempts.forEach(a -> finishing.remove(a.key, a));
        checkIdle();
      });
  }

  /**
   * An outcome of an attempt that no longer holds its job: the row moved on (rescued after a lost lease, run again,
   * cancelled), so the outcome is not the job's. Logged without the result or error, which may carry secrets.
   */
  private void stale(Attempt attempt, String outcome) {
    jobs.metrics().staleOutcome(attempt.queue, attempt.type);
    LOG.warn("Job {} ({}) attempt {} {} after it had lost the job (lease expired and rescued, or cancelled): "
      + "outcome not stored", attempt.id, attempt.type, attempt.attempt, outcome);
  }

  private void checkIdle() {
    if (idle != null && running.isEmpty() && finishing.isEmpty() && toComplete.isEmpty() && !flushing) {
      idle.tryComplete();
    }
  }
}
