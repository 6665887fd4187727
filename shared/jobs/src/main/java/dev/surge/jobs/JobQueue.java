package dev.surge.jobs;

import dev.surge.jobs.impl.JobQueueImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A durable job queue in PostgreSQL (the {@code surge_jobs} table), shared by every node that uses the same
 * database. Each node runs the job types it registered handlers for, in the queues of its
 * {@link JobQueueOptions#getQueues()}. Each job belongs to the service that enqueued it
 * ({@link JobQueueOptions#getOwner()}): a node reads, cancels and retries only its owner's jobs (another's are not
 * found), counts and pauses only its owner's jobs in a queue, and a unique key holds among the owner's jobs only.
 * (A node claims whatever job of its types and queues, whoever owns it.) Jobs given back carry their type's
 * {@link SecretArgs} masked.
 *
 * <p>Jobs run at least once: a node holds a running job under a lease it renews, and a job whose node stopped
 * renewing (crashed, killed, cut off) is rescued and run again by another node.
 */
public interface JobQueue {

  /** The states {@link QueueInfo#depth()} counts; finished jobs are not counted there. */
  List<JobState> DEPTH_STATES = List.of(JobState.AVAILABLE, JobState.SCHEDULED, JobState.RETRYABLE,
    JobState.RUNNING);

  /** Event-bus address where the job's state and progress changes are published, as JSON, on the node running it. */
  static String eventsAddress(long jobId) {
    return "surge.jobs.events." + jobId;
  }

  static JobQueue create(Vertx vertx, Pool pool, PgConnectOptions connectOptions, MeterRegistry registry,
                         JobQueueOptions options) {
    return new JobQueueImpl(vertx, pool, connectOptions, registry, options);
  }

  /** Registers the handler of a job type, run with the given threading model; call before {@link #start()}. */
  JobQueue register(String type, ThreadingModel threadingModel, JobHandler handler);

  /**
   * The same, with the type's secret arguments: masked in every job this queue gives back, and their values masked
   * in the errors and progress messages stored, logged and published for its attempts.
   */
  JobQueue register(String type, ThreadingModel threadingModel, JobHandler handler, SecretArgs secrets);

  /** The job types this node has handlers for. */
  Set<String> types();

  JobQueueOptions options();

  /** Starts claiming and running jobs in this node's queues. */
  Future<Void> start();

  /**
   * Stops claiming, gives running jobs up to {@code grace} to finish, then cancels the rest and hands them back
   * to the queue at once (their interrupted attempt not counted), so another node can run them.
   */
  Future<Void> stop(Duration grace);

  /** Enqueues in a statement of its own. With a unique key of a live job, that job is returned instead. */
  Future<Job> enqueue(JobRequest request);

  /**
   * Enqueues with {@code client}, such as a connection inside the caller's transaction: the job commits or
   * rolls back with the caller's rows, and nodes hear of it only once it is committed.
   */
  Future<Job> enqueue(SqlClient client, JobRequest request);

  /** Enqueues many in one statement; returns the ids inserted (a unique key already alive is skipped). */
  Future<List<Long>> enqueueAll(List<JobRequest> requests);

  /** The same with {@code client}, such as a connection inside the caller's transaction. */
  Future<List<Long>> enqueueAll(SqlClient client, List<JobRequest> requests);

  /** Fails with {@link JobNotFoundException}. */
  Future<Job> get(long id);

  Future<JobPage> list(JobQuery query);

  /**
   * Cancels an available, scheduled, retryable or running job; a running one is told so and its slot is freed.
   * Fails with {@link JobStateException} when the job already finished, {@link JobNotFoundException} when
   * there is none.
   */
  Future<Job> cancel(long id);

  /**
   * Makes a completed, cancelled or discarded job available again, with one more attempt if it had used them
   * all. Fails with {@link JobStateException} for a job that has not finished.
   */
  Future<Job> retry(long id);

  /**
   * Every queue this node runs, or its owner paused or has unfinished jobs in; paused and jobs by state are the
   * owner's (another service's jobs in a queue of the same name are not counted).
   */
  Future<List<QueueInfo>> queues();

  /**
   * Stops every node claiming the owner's jobs in the queue (running jobs finish); another service's jobs in a queue
   * of the same name are not held.
   */
  Future<QueueInfo> pause(String queue);

  /** Lets nodes claim the owner's jobs in the queue again. */
  Future<QueueInfo> resume(String queue);

  /** The latest event of a job: {@code id}, {@code state}, {@code attempt} and, once reported, {@code progress}. */
  static JsonObject event(Job job) {
    JsonObject event = new JsonObject().put("id", job.id()).put("state", job.state().wire())
      .put("attempt", job.attempt());
    if (job.progress() != null) {
      event.put("progress", new JsonObject().put("percent", job.progress()).put("message", job.progressMessage()));
    }
    return event;
  }
}
