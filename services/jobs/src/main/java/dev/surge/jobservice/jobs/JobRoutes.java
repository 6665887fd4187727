package dev.surge.jobservice.jobs;

import dev.surge.HttpApi;
import dev.surge.http.JsonInput;
import dev.surge.http.MediaTypes;
import dev.surge.http.Problem;
import dev.surge.http.ProblemException;
import dev.surge.http.Requests;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobNotFoundException;
import dev.surge.jobs.JobPage;
import dev.surge.jobs.JobQuery;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.jobs.JobStateException;
import dev.surge.jobservice.types.JobType;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The jobs API:
 * <pre>
 *   POST /jobs                       enqueue (201, Location); a live job with the same uniqueKey: 200 with it;
 *                                    503 only when nothing was stored, 504 when it may have been (TimelyEnqueue)
 *   GET  /jobs?state=&queue=&type=&limit=&cursor=   newest first, with a next link
 *   GET  /jobs/{id}                  state, attempts, errors, progress, result
 *   POST /jobs/{id}/cancel           200 with the job; a finished job 409
 *   POST /jobs/{id}/retry            a completed, cancelled or discarded job runs again; otherwise 409
 *   GET  /jobs/{id}/events           Server-Sent Events of state and progress until the job ends
 * </pre>
 * Only this service's own jobs are there: another service's job (in the same table) is 404, as if it did not exist.
 */
public final class JobRoutes implements HttpApi {

  public static final String EVENTS_PATH = "/jobs/[^/]+/events";
  /**
   * The most bytes of args and results one page of {@code GET /jobs} may hold: its jobs are at most this over
   * jobs.maxArgsSize and jobs.maxResultSize together.
   */
  public static final long MAX_PAGE_ARGS_BYTES = 8L * 1024 * 1024;
  private static final String CURSOR_PREFIX = "before:";

  private final JobQueue jobs;
  private final Map<String, JobType> types;
  private final Set<String> queues;
  private final long maxArgsSize;
  private final int maxPage;
  private final JobEventStreams streams;
  private final TimelyEnqueue enqueue;

  /**
   * Serves the jobs of {@code types} in the queues {@code jobs} runs, each with args up to {@code maxArgsSize},
   * enqueued through {@code enqueue}, and their event streams from {@code streams}.
   */
  public JobRoutes(JobQueue jobs, Map<String, JobType> types, long maxArgsSize, JobEventStreams streams,
                   TimelyEnqueue enqueue) {
    this.jobs = jobs;
    this.types = types;
    this.queues = Set.copyOf(jobs.options().getQueues().keySet());
    this.maxArgsSize = maxArgsSize;
    this.maxPage = maxPage(maxArgsSize + jobs.options().getMaxResultSize());
    this.streams = streams;
    this.enqueue = enqueue;
  }

  /**
   * The most jobs a page holds: {@link JobQuery#MAX_LIMIT}, fewer when that many jobs' args and results, each at
   * most {@code maxJobBytes} together, could pass 8 MiB.
   */
  public static int maxPage(long maxJobBytes) {
    return (int) Math.max(1, Math.min(JobQuery.MAX_LIMIT, MAX_PAGE_ARGS_BYTES / maxJobBytes));
  }

  @Override
  public void routes(Router router) {
    router.post("/jobs").handler(this::create);
    router.get("/jobs").handler(this::list);
    router.get("/jobs/:id").handler(this::get);
    router.post("/jobs/:id/cancel").handler(ctx -> answer(ctx, jobs.cancel(id(ctx))));
    router.post("/jobs/:id/retry").handler(ctx -> answer(ctx, jobs.retry(id(ctx))));
    router.get("/jobs/:id/events").handler(this::events);
  }

  private void create(RoutingContext ctx) {
    JobRequest request = JobInput.read(JsonInput.body(ctx), types, queues, maxArgsSize);
    enqueue.enqueue(request, Requests.deadlineNanos(ctx)).onSuccess(job -> {
      if (Requests.writable(ctx)) {
        ctx.response().putHeader("Location", "/jobs/" + job.id());
        send(ctx, job.duplicate() ? 200 : 201, job.toJson());
      }
    }).onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    answer(ctx, jobs.get(id(ctx)));
  }

  private void list(RoutingContext ctx) {
    String stateParam = ctx.queryParams().get("state");
    JsonInput filters = JsonInput.of(new JsonObject()
      .put("queue", ctx.queryParams().get("queue"))
      .put("type", ctx.queryParams().get("type")));
    String queue = filters.string("queue", false, 1, 40, JobRequest.QUEUE_PATTERN, "is not a valid queue name");
    String type = filters.string("type", false, 1, 64, JobRequest.TYPE_PATTERN, "is not a valid job type");
    JobState state = null;
    try {
      state = stateParam == null || stateParam.isEmpty() ? null : JobState.fromWire(stateParam);
    } catch (IllegalArgumentException e) {
      filters.error("state", "must be one of available, scheduled, running, retryable, completed, cancelled, discarded",
        true);
    }
    // A limit up to MAX_LIMIT is accepted; a page holds at most maxPage jobs, and "next" goes on from there.
    int limit = Math.min(maxPage, Requests.limit(ctx, filters, JobQuery.DEFAULT_LIMIT, JobQuery.MAX_LIMIT));
    Long before = Requests.cursor(ctx, filters, CURSOR_PREFIX);
    filters.validate();
    JobQuery query = new JobQuery(state, queue, type, limit, before);
    jobs.list(query).onSuccess(page -> {
      if (Requests.writable(ctx)) {
        send(ctx, 200, page(page, query));
      }
    }).onFailure(ctx::fail);
  }

  private static JsonObject page(JobPage page, JobQuery query) {
    JsonArray items = new JsonArray();
    page.jobs().forEach(job -> items.add(job.toJson()));
    JsonObject body = new JsonObject().put("items", items);
    if (page.nextBeforeId() == null) {
      return body.putNull("next");
    }
    StringBuilder next = new StringBuilder("/jobs?limit=").append(query.limit());
    if (query.state() != null) {
      next.append("&state=").append(query.state().wire());
    }
    if (query.queue() != null) {
      next.append("&queue=").append(URLEncoder.encode(query.queue(), StandardCharsets.UTF_8));
    }
    if (query.type() != null) {
      next.append("&type=").append(URLEncoder.encode(query.type(), StandardCharsets.UTF_8));
    }
    next.append("&cursor=").append(Requests.encodeCursor(CURSOR_PREFIX, page.nextBeforeId()));
    return body.put("next", next.toString());
  }

  private void events(RoutingContext ctx) {
    long id = id(ctx);
    JobEventStream stream;
    try {
      stream = streams.open(streams.client(ctx), id, ctx.response());
    } catch (ProblemException refused) {
      // At a cap, the job is looked up all the same: one that is not there is 404 whatever the load.
      jobs.get(id).onSuccess(job -> ctx.fail(refused)).onFailure(err -> fail(ctx, err));
      return;
    }
    jobs.get(id).onSuccess(job -> {
      if (Requests.writable(ctx)) {
        stream.open(JobQueue.event(job));
      } else {
        stream.abandon();
      }
    }).onFailure(err -> {
      stream.abandon();
      fail(ctx, err);
    });
  }

  private static void answer(RoutingContext ctx, Future<Job> job) {
    job.onSuccess(j -> {
      if (Requests.writable(ctx)) {
        send(ctx, 200, j.toJson());
      }
    }).onFailure(err -> fail(ctx, err));
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    if (err instanceof JobNotFoundException notFound) {
      Problem.notFound("No job with id " + notFound.id()).send(ctx);
    } else if (err instanceof JobStateException conflict) {
      Problem.conflict(conflict.getMessage()).send(ctx);
    } else {
      ctx.fail(err);
    }
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(body.toBuffer());
  }

  private static long id(RoutingContext ctx) {
    return Requests.positiveId(ctx, "id", "job");
  }
}
