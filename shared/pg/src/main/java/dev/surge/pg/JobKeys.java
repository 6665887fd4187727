package dev.surge.pg;

import dev.surge.config.ChassisKeys;
import dev.surge.config.ConfigKey;
import dev.surge.config.SurgeConfig;
import dev.surge.jobs.JobQueueOptions;
import dev.surge.jobs.JobRequest;

import java.time.Duration;
import java.util.List;

/** The configuration keys of a service that runs jobs ({@link JobsComponent}). */
public final class JobKeys {

  private JobKeys() {
  }

  public static final ConfigKey<java.util.Map<String, Integer>> QUEUES = ConfigKey.namedSizes("jobs.queues",
    "Queues this node runs and how many jobs of each it runs at once, such as default=10,reports=2")
    .withDefault(JobQueueOptions.DEFAULT_QUEUES);
  public static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration("jobs.pollInterval",
    JobQueueOptions.DEFAULT_POLL_INTERVAL, Duration.ofMillis(10), Duration.ofMinutes(1),
    "How often a node looks for due scheduled and retryable jobs and for missed notifications");
  public static final ConfigKey<Duration> LEASE = ConfigKey.duration("jobs.lease", JobQueueOptions.DEFAULT_LEASE,
    Duration.ofMillis(500), Duration.ofHours(1),
    "A running job whose node has not renewed it for this long is rescued and run again elsewhere");
  public static final ConfigKey<Duration> RETENTION = ConfigKey.duration("jobs.retention",
    JobQueueOptions.DEFAULT_RETENTION, Duration.ofSeconds(1), Duration.ofDays(3650),
    "Completed, cancelled and discarded jobs are deleted this long after they finished");
  public static final ConfigKey<Duration> DEFAULT_TIMEOUT = ConfigKey.duration("jobs.defaultTimeout",
    JobQueueOptions.DEFAULT_TIMEOUT, Duration.ofMillis(1), JobRequest.MAX_TIMEOUT,
    "Timeout of an attempt when the job does not set one");
  public static final ConfigKey<Integer> DEFAULT_MAX_ATTEMPTS = ConfigKey.integer("jobs.defaultMaxAttempts",
    JobQueueOptions.DEFAULT_MAX_ATTEMPTS, 1, JobRequest.MAX_ATTEMPTS_LIMIT,
    "Attempts before a job is discarded when it does not set them");
  public static final ConfigKey<Duration> BACKOFF_BASE = ConfigKey.duration("jobs.backoffBase",
    JobQueueOptions.DEFAULT_BACKOFF_BASE, Duration.ofMillis(1), Duration.ofHours(1),
    "Wait before the second attempt; it doubles with each attempt, with jitter");
  public static final ConfigKey<Duration> BACKOFF_MAX = ConfigKey.duration("jobs.backoffMax",
    JobQueueOptions.DEFAULT_BACKOFF_MAX, Duration.ofMillis(1), Duration.ofDays(7), "Longest wait between attempts");
  public static final ConfigKey<Integer> WORKER_POOL_SIZE = ConfigKey.integer("jobs.workerPoolSize",
    JobQueueOptions.DEFAULT_WORKER_POOL_SIZE, 1, 1000, "Threads that run worker-model (blocking) job handlers");
  public static final ConfigKey<Long> MAX_RESULT_SIZE = ConfigKey.bytes("jobs.maxResultSize",
    JobQueueOptions.DEFAULT_MAX_RESULT_SIZE, 1024, 16L * 1024 * 1024,
    "Largest result a job may complete with, as JSON; a larger one fails the attempt for good and is not stored");

  public static List<ConfigKey<?>> all() {
    return List.of(QUEUES, POLL_INTERVAL, LEASE, RETENTION, DEFAULT_TIMEOUT, DEFAULT_MAX_ATTEMPTS, BACKOFF_BASE,
      BACKOFF_MAX, WORKER_POOL_SIZE, MAX_RESULT_SIZE);
  }

  public static JobQueueOptions options(SurgeConfig config, String nodeName) {
    return new JobQueueOptions()
      .setQueues(config.get(QUEUES))
      .setPollInterval(config.get(POLL_INTERVAL))
      .setLease(config.get(LEASE))
      .setRetention(config.get(RETENTION))
      .setDefaultTimeout(config.get(DEFAULT_TIMEOUT))
      .setDefaultMaxAttempts(config.get(DEFAULT_MAX_ATTEMPTS))
      .setBackoffBase(config.get(BACKOFF_BASE))
      .setBackoffMax(config.get(BACKOFF_MAX))
      .setWorkerPoolSize(config.get(WORKER_POOL_SIZE))
      .setMaxResultSize(Math.toIntExact(config.get(MAX_RESULT_SIZE)))
      .setNodeName(nodeName)
      .setOwner(config.get(ChassisKeys.SERVICE_NAME));
  }
}
