package dev.surge.jobs;

import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** How one node runs the job queue. Every node of a cluster may run a different set of queues and limits. */
public final class JobQueueOptions {

  public static final Map<String, Integer> DEFAULT_QUEUES = Map.of(JobRequest.DEFAULT_QUEUE, 10);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
  public static final int DEFAULT_MAX_ATTEMPTS = 20;
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofHours(1);
  public static final int DEFAULT_WORKER_POOL_SIZE = 16;
  /** The largest result a job keeps, as JSON: a job's row is read whole by every page of jobs that lists it. */
  public static final int DEFAULT_MAX_RESULT_SIZE = 64 * 1024;
  public static final String DEFAULT_OWNER = "surge";

  private Map<String, Integer> queues = DEFAULT_QUEUES;
  private Duration pollInterval = DEFAULT_POLL_INTERVAL;
  private Duration lease = DEFAULT_LEASE;
  private Duration retention = DEFAULT_RETENTION;
  private Duration defaultTimeout = DEFAULT_TIMEOUT;
  private int defaultMaxAttempts = DEFAULT_MAX_ATTEMPTS;
  private Duration backoffBase = DEFAULT_BACKOFF_BASE;
  private Duration backoffMax = DEFAULT_BACKOFF_MAX;
  private int workerPoolSize = DEFAULT_WORKER_POOL_SIZE;
  private int maxResultSize = DEFAULT_MAX_RESULT_SIZE;
  private String nodeName;
  private String owner = DEFAULT_OWNER;
  private OpenTelemetry openTelemetry = OpenTelemetry.noop();
  private JsonObject deploymentConfig = new JsonObject();

  public Map<String, Integer> getQueues() {
    return queues;
  }

  /** The queues this node runs, each with the most jobs it runs at once here; none makes it enqueue-only. */
  public JobQueueOptions setQueues(Map<String, Integer> queues) {
    this.queues = Map.copyOf(new LinkedHashMap<>(queues));
    return this;
  }

  public Duration getPollInterval() {
    return pollInterval;
  }

  /**
   * How often the node looks for work without being told: due scheduled and retryable jobs, and any
   * notification it missed. Jobs enqueued for now start on a notification, within milliseconds.
   */
  public JobQueueOptions setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
    return this;
  }

  public Duration getLease() {
    return lease;
  }

  /** How long a running job stays held by its node without a renewal (renewed every third of it). */
  public JobQueueOptions setLease(Duration lease) {
    this.lease = lease;
    return this;
  }

  public Duration getRetention() {
    return retention;
  }

  /** Completed, cancelled and discarded jobs are deleted this long after they finished. */
  public JobQueueOptions setRetention(Duration retention) {
    this.retention = retention;
    return this;
  }

  public Duration getDefaultTimeout() {
    return defaultTimeout;
  }

  public JobQueueOptions setDefaultTimeout(Duration defaultTimeout) {
    this.defaultTimeout = defaultTimeout;
    return this;
  }

  public int getDefaultMaxAttempts() {
    return defaultMaxAttempts;
  }

  public JobQueueOptions setDefaultMaxAttempts(int defaultMaxAttempts) {
    this.defaultMaxAttempts = defaultMaxAttempts;
    return this;
  }

  public Duration getBackoffBase() {
    return backoffBase;
  }

  /** The wait before the second attempt; it doubles with each attempt after that, with jitter. */
  public JobQueueOptions setBackoffBase(Duration backoffBase) {
    this.backoffBase = backoffBase;
    return this;
  }

  public Duration getBackoffMax() {
    return backoffMax;
  }

  public JobQueueOptions setBackoffMax(Duration backoffMax) {
    this.backoffMax = backoffMax;
    return this;
  }

  public int getWorkerPoolSize() {
    return workerPoolSize;
  }

  /** Threads of the pool that runs worker-model handlers. */
  public JobQueueOptions setWorkerPoolSize(int workerPoolSize) {
    this.workerPoolSize = workerPoolSize;
    return this;
  }

  public int getMaxResultSize() {
    return maxResultSize;
  }

  /**
   * The largest result a handler may complete a job with, in bytes of JSON; a larger one fails the attempt for
   * good (no retry would make it smaller), and nothing of it is stored.
   */
  public JobQueueOptions setMaxResultSize(int maxResultSize) {
    if (maxResultSize < 2) {
      throw new IllegalArgumentException("maxResultSize must hold {} at least: " + maxResultSize);
    }
    this.maxResultSize = maxResultSize;
    return this;
  }

  public String getNodeName() {
    return nodeName;
  }

  /** Recorded on the jobs this node runs; default the service name, host name and a random suffix. */
  public JobQueueOptions setNodeName(String nodeName) {
    this.nodeName = Objects.requireNonNull(nodeName);
    return this;
  }

  public String getOwner() {
    return owner;
  }

  /**
   * The service whose jobs these are (the chassis sets its {@code service.name}): jobs are stored with their
   * owner, unique keys hold per owner, {@code get}, {@code list}, {@code cancel} and {@code retry} see only the
   * owner's jobs, and {@code queues}, {@code pause} and {@code resume} count and hold only them, so that no service
   * reads, stops, holds or squats the keys of another's.
   */
  public JobQueueOptions setOwner(String owner) {
    this.owner = Objects.requireNonNull(owner);
    return this;
  }

  public OpenTelemetry getOpenTelemetry() {
    return openTelemetry;
  }

  /**
   * Where each attempt's span goes: a {@code job <type>} span in the trace of the code that enqueued the job
   * ({@link JobRequest#getTraceParent()}), current while its handler runs. The default traces nothing.
   */
  public JobQueueOptions setOpenTelemetry(OpenTelemetry openTelemetry) {
    this.openTelemetry = Objects.requireNonNull(openTelemetry);
    return this;
  }

  public JsonObject getDeploymentConfig() {
    return deploymentConfig;
  }

  /**
   * The config the queue's verticles (its dispatcher and its runners) are deployed with, which code on their
   * contexts reads as Vert.x's context config: the chassis names the service there, so that an attempt's span goes
   * out under the service's name where services share a process. Default empty.
   */
  public JobQueueOptions setDeploymentConfig(JsonObject deploymentConfig) {
    this.deploymentConfig = Objects.requireNonNull(deploymentConfig).copy();
    return this;
  }
}
