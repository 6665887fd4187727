package dev.surge.arbiter;

import io.vertx.core.ThreadingModel;

import java.time.Duration;

/** How the {@link Arbiter} runs one verticle's instances: how many, on which threads, and how it replaces them. */
public final class SupervisionOptions {

  public static final int DEFAULT_INSTANCES = 1;
  public static final ThreadingModel DEFAULT_THREADING_MODEL = ThreadingModel.EVENT_LOOP;
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_REQUESTS = 0;
  public static final long DEFAULT_MAX_REQUESTS_JITTER = 0;
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);

  private int instances = DEFAULT_INSTANCES;
  private ThreadingModel threadingModel = DEFAULT_THREADING_MODEL;
  private Duration grace = DEFAULT_GRACE;
  private long maxRequests = DEFAULT_MAX_REQUESTS;
  private long maxRequestsJitter = DEFAULT_MAX_REQUESTS_JITTER;
  private Duration backoff = DEFAULT_BACKOFF;
  private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

  public int getInstances() {
    return instances;
  }

  /** Instances to start with. */
  public SupervisionOptions setInstances(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1");
    }
    this.instances = instances;
    return this;
  }

  public ThreadingModel getThreadingModel() {
    return threadingModel;
  }

  public SupervisionOptions setThreadingModel(ThreadingModel threadingModel) {
    this.threadingModel = threadingModel;
    return this;
  }

  public Duration getGrace() {
    return grace;
  }

  /** How long an instance leaving (scaled down, restarted, recycled) has to finish its requests. */
  public SupervisionOptions setGrace(Duration grace) {
    this.grace = grace;
    return this;
  }

  public long getMaxRequests() {
    return maxRequests;
  }

  /** Requests after which an instance is replaced by a fresh one (gunicorn's max_requests); 0: never. */
  public SupervisionOptions setMaxRequests(long maxRequests) {
    this.maxRequests = maxRequests;
    return this;
  }

  public long getMaxRequestsJitter() {
    return maxRequestsJitter;
  }

  /** Up to this many more requests, drawn per instance, so that instances are not all replaced at once. */
  public SupervisionOptions setMaxRequestsJitter(long maxRequestsJitter) {
    this.maxRequestsJitter = maxRequestsJitter;
    return this;
  }

  public Duration getBackoff() {
    return backoff;
  }

  /** The wait before redeploying a failed instance; it doubles with each failure in a row. */
  public SupervisionOptions setBackoff(Duration backoff) {
    this.backoff = backoff;
    return this;
  }

  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  /** The longest wait before a redeploy; failures further apart than twice this no longer count as in a row. */
  public SupervisionOptions setMaxBackoff(Duration maxBackoff) {
    this.maxBackoff = maxBackoff;
    return this;
  }
}
