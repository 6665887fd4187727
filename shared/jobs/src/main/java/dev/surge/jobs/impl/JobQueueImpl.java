package dev.surge.jobs.impl;

import dev.surge.jobs.Job;
import dev.surge.jobs.JobHandler;
import dev.surge.jobs.JobNotFoundException;
import dev.surge.jobs.JobPage;
import dev.surge.jobs.JobQuery;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobQueueOptions;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.jobs.JobStateException;
import dev.surge.jobs.QueueInfo;
import dev.surge.jobs.SecretArgs;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public final class JobQueueImpl implements JobQueue {

  private static final Logger LOG = LoggerFactory.getLogger(JobQueueImpl.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  static final long NOTIFY_INTERVAL_NANOS = 20_000_000;
  static final long TRAILING_NOTIFY_MS = 25;
  /** Longest progress message and attempt error stored: a page of jobs stays bounded whatever a handler says. */
  static final int MAX_PROGRESS_LENGTH = 500;
  static final int MAX_ERROR_LENGTH = 2000;

  record Registered(ThreadingModel model, JobHandler handler, SecretArgs secrets) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final PgConnectOptions connectOptions;
  private final JobQueueOptions options;
  private final JobMetrics metrics;
  private final String node;
  private final String instance;
  private final Map<String, Registered> handlers = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicLong> lastNotified = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicBoolean> trailing = new ConcurrentHashMap<>();
  private final List<String> deployments = new ArrayList<>();
  private volatile boolean started;
  private WorkerExecutor workers;
  private Dispatcher dispatcher;
  private Future<Void> stopped;

  public JobQueueImpl(Vertx vertx, Pool pool, PgConnectOptions connectOptions, MeterRegistry registry,
                      JobQueueOptions options) {
    this.vertx = vertx;
    this.pool = pool;
    this.connectOptions = connectOptions;
    this.options = options;
    this.metrics = new JobMetrics(registry);
    this.instance = "q" + INSTANCES.incrementAndGet();
    this.node = options.getNodeName() != null ? options.getNodeName()
      : "node-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);
  }

  @Override
  public JobQueue register(String type, ThreadingModel threadingModel, JobHandler handler) {
    return register(type, threadingModel, handler, SecretArgs.NONE);
  }

  @Override
  public JobQueue register(String type, ThreadingModel threadingModel, JobHandler handler, SecretArgs secrets) {
    if (started) {
      throw new IllegalStateException("register job handlers before the queue starts");
    }
    if (!JobRequest.TYPE_PATTERN.matcher(type).matches()) {
      throw new IllegalArgumentException("invalid job type: " + type);
    }
    if (handlers.putIfAbsent(type, new Registered(threadingModel, handler, secrets)) != null) {
      throw new IllegalArgumentException("job type registered twice: " + type);
    }
    return this;
  }

  @Override
  public Set<String> types() {
    return Set.copyOf(handlers.keySet());
  }

  @Override
  public JobQueueOptions options() {
    return options;
  }

  Pool pool() {
    return pool;
  }

  PgConnectOptions connectOptions() {
    return connectOptions;
  }

  JobMetrics metrics() {
    return metrics;
  }

  String node() {
    return node;
  }

  String codecName() {
    return "surge-job-attempt-" + instance;
  }

  String runAddress(ThreadingModel model) {
    return "surge.jobs." + instance + ".run." + model.name().toLowerCase();
  }

  Registered handler(String type) {
    return handlers.get(type);
  }

  @Override
  public synchronized Future<Void> start() {
    if (started) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    started = true;
    vertx.eventBus().registerCodec(new AttemptCodec(codecName()));
    Set<ThreadingModel> models = EnumSet.noneOf(ThreadingModel.class);
    handlers.values().forEach(r -> models.add(r.model()));
    if (models.contains(ThreadingModel.WORKER)) {
      workers = vertx.createSharedWorkerExecutor("surge-jobs-" + instance, options.getWorkerPoolSize(),
        options.getDefaultTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    Future<Void> runners = Future.succeededFuture();
    for (ThreadingModel model : models) {
      DeploymentOptions deployment = new DeploymentOptions().setConfig(options.getDeploymentConfig())
        .setThreadingModel(model == ThreadingModel.VIRTUAL_THREAD ? ThreadingModel.VIRTUAL_THREAD : ThreadingModel.EVENT_LOOP)
        .setInstances(model == ThreadingModel.EVENT_LOOP ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 1);
      runners = runners.compose(v -> vertx.deployVerticle(() -> new JobRunnerVerticle(runAddress(model), model, workers,
        new AttemptSpans(options.getOpenTelemetry()), options.getMaxResultSize()),
        deployment).map(id -> {
          deployments.add(id);
          return null;
        }));
    }
    dispatcher = new Dispatcher(this);
    return runners
      .compose(v -> vertx.deployVerticle(dispatcher, new DeploymentOptions().setConfig(options.getDeploymentConfig())))
      .map(id -> {
        deployments.add(id);
        return (Void) null;
      })
      .onSuccess(v -> LOG.info("Job queue on node {}: queues {}, types {}", node, options.getQueues(),
        new TreeMap<>(handlers).keySet()));
  }

  @Override
  public synchronized Future<Void> stop(Duration grace) {
    if (!started || dispatcher == null || dispatcher.context() == null) {
      return Future.succeededFuture();
    }
    if (stopped != null) {
      return stopped;
    }
    Promise<Void> drained = Promise.promise();
    dispatcher.context().runOnContext(v -> dispatcher.drain(grace).onComplete(drained));
    stopped = drained.future()
      .recover(err -> Future.succeededFuture())
      .compose(v -> {
        Future<Void> undeployed = Future.succeededFuture();
        for (String id : deployments.reversed()) {
          undeployed = undeployed.compose(x -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
        }
        return undeployed;
      })
      .eventually(() -> {
        if (workers != null) {
          workers.close();
        }
        vertx.eventBus().unregisterCodec(codecName());
        return Future.succeededFuture();
      });
    return stopped;
  }

  @Override
  public Future<Job> enqueue(JobRequest request) {
    return enqueue(pool, request);
  }

  @Override
  public Future<Job> enqueue(SqlClient client, JobRequest request) {
    try {
      request.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Tuple params = Tuple.tuple()
      .addString(request.getType())
      .addString(request.getQueue())
      .addShort((short) request.getPriority())
      .addJsonObject(request.getArgs())
      .addInteger(maxAttempts(request))
      .addLong(timeoutMs(request))
      .addString(request.getUniqueKey())
      .addOffsetDateTime(request.getRunAt() == null ? null : request.getRunAt().atOffset(ZoneOffset.UTC))
      .addBoolean(notifyAllowed(request.getQueue()))
      .addString(options.getOwner())
      .addString(request.getTraceParent());
    return insert(client, request, params, true);
  }

  private Future<Job> insert(SqlClient client, JobRequest request, Tuple params, boolean firstTry) {
    return client.preparedQuery(JobSql.ENQUEUE).execute(params).compose(rows -> {
      if (rows.size() == 1) {
        metrics.enqueued(request.getQueue(), request.getType(), 1);
        return Future.succeededFuture(job(rows.iterator().next()));
      }
      return client.preparedQuery(JobSql.LIVE_BY_UNIQUE_KEY).execute(Tuple.of(request.getUniqueKey(), options.getOwner()))
        .compose(live -> {
          if (live.size() == 1) {
            return Future.succeededFuture(job(live.iterator().next()).asDuplicate());
          }
          // The live job finished between the two statements: its key is free again.
          return firstTry ? insert(client, request, params, false)
            : Future.failedFuture(new IllegalStateException("unique key " + request.getUniqueKey() + " is contended"));
        });
    });
  }

  @Override
  public Future<List<Long>> enqueueAll(List<JobRequest> requests) {
    return enqueueAll(pool, requests);
  }

  @Override
  public Future<List<Long>> enqueueAll(SqlClient client, List<JobRequest> requests) {
    if (requests.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int n = requests.size();
    String[] types = new String[n];
    String[] queues = new String[n];
    Short[] priorities = new Short[n];
    String[] args = new String[n];
    Integer[] attempts = new Integer[n];
    Long[] timeouts = new Long[n];
    String[] keys = new String[n];
    java.time.OffsetDateTime[] runAts = new java.time.OffsetDateTime[n];
    String[] traceParents = new String[n];
    try {
      for (int i = 0; i < n; i++) {
        JobRequest r = requests.get(i).validate();
        types[i] = r.getType();
        queues[i] = r.getQueue();
        priorities[i] = (short) r.getPriority();
        args[i] = r.getArgs().encode();
        attempts[i] = maxAttempts(r);
        timeouts[i] = timeoutMs(r);
        keys[i] = r.getUniqueKey();
        runAts[i] = r.getRunAt() == null ? null : r.getRunAt().atOffset(ZoneOffset.UTC);
        traceParents[i] = r.getTraceParent();
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String queue = requests.getFirst().getQueue();
    boolean oneQueue = requests.stream().allMatch(r -> r.getQueue().equals(queue));
    return client.preparedQuery(JobSql.ENQUEUE_ALL)
      .execute(Tuple.of(types, queues, priorities, args, attempts, timeouts, keys, runAts)
        .addBoolean(!oneQueue || notifyAllowed(queue))
        .addString(options.getOwner())
        .addArrayOfString(traceParents))
      .map(rows -> {
        List<Long> ids = new ArrayList<>(rows.size());
        rows.forEach(row -> ids.add(row.getLong("id")));
        Map<String, Integer> counts = new LinkedHashMap<>();
        requests.forEach(r -> counts.merge(r.getQueue() + '\0' + r.getType(), 1, Integer::sum));
        if (ids.size() == n) {
          counts.forEach((k, c) -> metrics.enqueued(k.substring(0, k.indexOf('\0')), k.substring(k.indexOf('\0') + 1), c));
        }
        return ids;
      });
  }

  /**
   * Whether this enqueue may notify: at most one notification per queue every {@link #NOTIFY_INTERVAL_NANOS}
   * from this process. PostgreSQL serializes the commits of every transaction that notifies (behind one lock,
   * held through the WAL flush), so a notification per job would cap enqueues at the disk's flush rate. When one
   * is skipped, a notification of its own follows {@link #TRAILING_NOTIFY_MS} later, once the enqueue's
   * transaction has likely committed, so every node hears of the job within milliseconds still; the poll catches
   * a transaction that took longer.
   */
  private boolean notifyAllowed(String queue) {
    long now = System.nanoTime();
    java.util.concurrent.atomic.AtomicLong last = lastNotified.computeIfAbsent(queue,
      q -> new java.util.concurrent.atomic.AtomicLong(now - NOTIFY_INTERVAL_NANOS));
    long previous = last.get();
    if (now - previous >= NOTIFY_INTERVAL_NANOS && last.compareAndSet(previous, now)) {
      return true;
    }
    java.util.concurrent.atomic.AtomicBoolean pending = trailing.computeIfAbsent(queue,
      q -> new java.util.concurrent.atomic.AtomicBoolean());
    if (pending.compareAndSet(false, true)) {
      vertx.setTimer(TRAILING_NOTIFY_MS, id -> {
        pending.set(false);
        last.set(System.nanoTime());
        pool.preparedQuery(JobSql.NOTIFY).execute(io.vertx.sqlclient.Tuple.of(queue))
          .onFailure(err -> LOG.debug("Notifying queue {} failed: {}", queue, err.getMessage()));
      });
    }
    return false;
  }

  /** A stored job as this queue gives it out: its type's secret arguments masked. */
  private Job job(Row row) {
    Job job = JobSql.job(row);
    Registered registered = handlers.get(job.type());
    return registered == null || registered.secrets().isEmpty() ? job : job.withArgs(registered.secrets().redact(job.args()));
  }

  /** An attempt's error as stored, logged and published: its secret arguments masked, at most MAX_ERROR_LENGTH. */
  String errorText(Attempt attempt, String error) {
    return scrub(attempt, error, MAX_ERROR_LENGTH);
  }

  /** Masked before it is cut, so that no secret is kept in part. */
  private String scrub(Attempt attempt, String text, int maxLength) {
    Registered registered = handlers.get(attempt.type);
    String scrubbed = registered == null ? text : registered.secrets().scrub(attempt.args, text);
    return scrubbed == null || scrubbed.length() <= maxLength ? scrubbed : scrubbed.substring(0, maxLength);
  }

  private int maxAttempts(JobRequest r) {
    return r.getMaxAttempts() == null ? options.getDefaultMaxAttempts() : r.getMaxAttempts();
  }

  private long timeoutMs(JobRequest r) {
    return (r.getTimeout() == null ? options.getDefaultTimeout() : r.getTimeout()).toMillis();
  }

  @Override
  public Future<Job> get(long id) {
    return pool.preparedQuery(JobSql.GET).execute(Tuple.of(id, options.getOwner())).compose(rows -> rows.size() == 1
      ? Future.succeededFuture(job(rows.iterator().next()))
      : Future.failedFuture(new JobNotFoundException(id)));
  }

  @Override
  public Future<JobPage> list(JobQuery query) {
    int limit = Math.max(1, Math.min(JobQuery.MAX_LIMIT, query.limit()));
    Tuple params = Tuple.tuple()
      .addString(query.state() == null ? null : query.state().wire())
      .addString(query.queue())
      .addString(query.type())
      .addLong(query.beforeId())
      .addInteger(limit + 1)
      .addString(options.getOwner());
    return pool.preparedQuery(JobSql.LIST).execute(params).map(rows -> {
      List<Job> jobs = new ArrayList<>(limit);
      for (Row row : rows) {
        if (jobs.size() < limit) {
          jobs.add(job(row));
        }
      }
      Long next = rows.size() > limit ? jobs.getLast().id() : null;
      return new JobPage(jobs, next);
    });
  }

  @Override
  public Future<Job> cancel(long id) {
    return pool.preparedQuery(JobSql.CANCEL).execute(Tuple.of(id, options.getOwner())).compose(rows -> {
      if (rows.size() == 1) {
        Job job = job(rows.iterator().next());
        publish(job.id(), JobQueue.event(job));
        return Future.succeededFuture(job);
      }
      return get(id).compose(job -> Future.failedFuture(new JobStateException(job, "job " + id + " is "
        + job.state().wire() + ": only available, scheduled, retryable or running jobs can be cancelled")));
    });
  }

  @Override
  public Future<Job> retry(long id) {
    return pool.preparedQuery(JobSql.RETRY).execute(Tuple.of(id, options.getOwner()))
      .recover(err -> err instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? get(id).compose(job -> Future.failedFuture(new JobStateException(job, "job " + id
          + " cannot run again while another live job holds its unique key " + job.uniqueKey())))
        : Future.failedFuture(err))
      .compose(rows -> {
        if (rows.size() == 1) {
          Job job = job(rows.iterator().next());
          publish(job.id(), JobQueue.event(job));
          return Future.succeededFuture(job);
        }
        return get(id).compose(job -> Future.failedFuture(new JobStateException(job, "job " + id + " is "
          + job.state().wire() + ": only completed, cancelled or discarded jobs can be retried")));
      });
  }

  @Override
  public Future<List<QueueInfo>> queues() {
    return pool.preparedQuery(JobSql.KNOWN_QUEUES).execute(Tuple.of(options.getOwner()))
      .compose(known -> depth(options.getOwner()).map(depth -> {
        Map<String, Boolean> paused = new TreeMap<>();
        options.getQueues().keySet().forEach(q -> paused.put(q, false));
        depth.keySet().forEach(q -> paused.put(q, false));
        known.forEach(row -> paused.put(row.getString("name"), row.getBoolean("paused")));
        List<QueueInfo> out = new ArrayList<>();
        paused.forEach((name, isPaused) -> out.add(info(name, isPaused, depth)));
        return out;
      }));
  }

  private QueueInfo info(String name, boolean paused, Map<String, Map<JobState, Long>> depth) {
    Dispatcher.Slots slots = dispatcher == null ? null : dispatcher.slots().get(name);
    Map<JobState, Long> states = new EnumMap<>(JobState.class);
    states.putAll(depth.getOrDefault(name, Map.of()));
    fillDepth(states);
    return new QueueInfo(name, paused, options.getQueues().get(name), slots == null ? 0 : slots.running, states);
  }

  static void fillDepth(Map<JobState, Long> states) {
    DEPTH_STATES.forEach(s -> states.putIfAbsent(s, 0L));
  }

  /** Unfinished jobs by queue and state: the owner's, or every owner's when it is null. */
  Future<Map<String, Map<JobState, Long>>> depth(String owner) {
    return pool.preparedQuery(JobSql.DEPTH).execute(Tuple.of(owner)).map(rows -> {
      Map<String, Map<JobState, Long>> out = new TreeMap<>();
      rows.forEach(row -> out.computeIfAbsent(row.getString("queue"), q -> new EnumMap<>(JobState.class))
        .put(JobState.fromWire(row.getString("state")), row.getLong("jobs")));
      return out;
    });
  }

  @Override
  public Future<QueueInfo> pause(String queue) {
    return setPaused(queue, true);
  }

  @Override
  public Future<QueueInfo> resume(String queue) {
    return setPaused(queue, false);
  }

  private Future<QueueInfo> setPaused(String queue, boolean paused) {
    if (queue == null || !JobRequest.QUEUE_PATTERN.matcher(queue).matches()) {
      return Future.failedFuture(new IllegalArgumentException(
        "queue must be 1 to 40 lower-case letters, digits or '-', starting with a letter"));
    }
    return pool.preparedQuery(JobSql.SET_PAUSED).execute(Tuple.of(queue, paused, options.getOwner()))
      .compose(rows -> depth(options.getOwner()))
      .map(depth -> info(queue, paused, depth));
  }

  Future<Void> storeProgress(SqlClient via, Attempt attempt, int percent, String rawMessage) {
    String message = scrub(attempt, rawMessage, MAX_PROGRESS_LENGTH);
    publish(attempt.id, new JsonObject().put("id", attempt.id).put("state", JobState.RUNNING.wire())
      .put("attempt", attempt.attempt)
      .put("progress", new JsonObject().put("percent", percent).put("message", message)));
    return via.preparedQuery(JobSql.PROGRESS).execute(Tuple.of(attempt.id, attempt.attempt, (short) percent, message))
      .mapEmpty();
  }

  void publish(Attempt attempt, JobState state, String error) {
    JsonObject event = new JsonObject().put("id", attempt.id).put("state", state.wire()).put("attempt", attempt.attempt);
    if (error != null) {
      event.put("error", error);
    }
    publish(attempt.id, event);
  }

  private void publish(long id, JsonObject event) {
    vertx.eventBus().publish(JobQueue.eventsAddress(id), event, LOCAL);
  }
}
