package dev.surge.jobservice.jobs;

import dev.surge.ServiceContext;
import dev.surge.config.ChassisKeys;
import dev.surge.http.Problem;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import dev.surge.pg.JobsComponent;
import dev.surge.pg.Postgres;
import dev.surge.pg.PostgresComponent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /jobs}'s enqueue, answered before the chassis would answer 503 {@code request-timeout} (which tells the
 * client nothing was done, while the job could still be stored after it), and answered truly. It takes a connection
 * first: should the answer fall due before one is free, it is 503 {@code not-stored-in-time}, and the connection,
 * once it comes, goes back unused, so nothing is stored, nor will be. Once the statement is on its way, the answer is
 * the job; or 504 {@code outcome-unknown} (the job may be stored) when the answer falls due first, or when the
 * statement fails other than by PostgreSQL refusing it (a connection lost under it: its commit may have landed).
 */
public final class TimelyEnqueue {

  private static final Logger LOG = LoggerFactory.getLogger(TimelyEnqueue.class);
  private static final int WAITING = 0;
  private static final int SENT = 1;
  private static final int ANSWERED = 2;

  private final Vertx vertx;
  private final Pool pool;
  private final JobQueue jobs;
  private final long marginNanos;
  private final long retryAfterSeconds;

  /** Enqueues on the service's queue, answering {@link #answerMargin} of {@code http.requestTimeout} before it. */
  public TimelyEnqueue(ServiceContext context) {
    this.vertx = context.vertx();
    this.pool = PostgresComponent.pool(context);
    this.jobs = JobsComponent.queue(context);
    this.marginNanos = answerMargin(context.config().get(ChassisKeys.HTTP_REQUEST_TIMEOUT)).toNanos();
    this.retryAfterSeconds = Math.max(1, context.config().get(ChassisKeys.HTTP_RETRY_AFTER).toSeconds());
  }

  /** A quarter of the request timeout, at most a second (as orders answers its placements): time to answer in. */
  static Duration answerMargin(Duration requestTimeout) {
    Duration quarter = requestTimeout.dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
  }

  /**
   * The job stored (or the live one holding its unique key), or a failure: a {@code ProblemException} of 503
   * {@code not-stored-in-time} or 504 {@code outcome-unknown}, or what failed before anything was sent (no
   * connection: the chassis's 503) or what PostgreSQL refused (it rolled back).
   *
   * @param requestDeadline when the chassis would answer the request 503 ({@code Requests.deadlineNanos})
   */
  Future<Job> enqueue(JobRequest request, long requestDeadline) {
    Promise<Job> answer = Promise.promise();
    AtomicInteger phase = new AtomicInteger(WAITING);
    long timer = requestDeadline == Long.MAX_VALUE ? -1 : vertx.setTimer(
      Math.max(1, (requestDeadline - marginNanos - System.nanoTime()) / 1_000_000),
      id -> answer.tryFail(phase.compareAndSet(WAITING, ANSWERED) ? notStored()
        : outcomeUnknown(request, "the answer fell due first")));
    pool.getConnection().onFailure(answer::tryFail).onSuccess(connection -> {
      if (!phase.compareAndSet(WAITING, SENT)) {
        connection.close(); // answered 503 already: nothing is sent
        return;
      }
      jobs.enqueue(connection, request).onComplete(stored -> {
        connection.close();
        vertx.cancelTimer(timer);
        if (answer.future().isComplete()) {
          return; // answered 504 already
        }
        if (stored.succeeded()) {
          answer.tryComplete(stored.result());
        } else {
          answer.tryFail(Postgres.rolledBack(stored.cause()) ? stored.cause()
            : outcomeUnknown(request, stored.cause().toString()));
        }
      });
    });
    return answer.future();
  }

  private Throwable notStored() {
    return Problem.unavailable("not-stored-in-time", "Job not stored in time",
      "The job could not be stored in time; nothing was stored, nor will be: send the request again",
      retryAfterSeconds).asException();
  }

  private Throwable outcomeUnknown(JobRequest request, String why) {
    LOG.warn("A {} job on its way to PostgreSQL was not confirmed ({}): answered 504 outcome-unknown", request.getType(),
      why);
    return Problem.of(504, "outcome-unknown", "Outcome unknown")
      .detail("PostgreSQL did not confirm the job in time: it may have been stored. Send the request again with the "
        + "same uniqueKey to get it if it was (200 with the live job), or look for it in GET /jobs")
      .header("Retry-After", String.valueOf(retryAfterSeconds)).asException();
  }
}
