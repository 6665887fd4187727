package dev.surge.jobservice.queues;

import dev.surge.HttpApi;
import dev.surge.http.MediaTypes;
import dev.surge.http.Problem;
import dev.surge.http.Requests;
import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.QueueInfo;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * The queues API:
 * <pre>
 *   GET  /queues                  every queue: paused, this node's limit and running jobs, unfinished jobs by state
 *   POST /queues/{name}/pause     no node claims its jobs until resumed (running jobs finish); 200 with the queue
 *   POST /queues/{name}/resume    200 with the queue
 * </pre>
 * Only the queues this service runs ({@code jobs.queues}) are there: any other name, such as another service's
 * queue, is 404, and nothing is stored for it. And only this service's jobs in them, as in the jobs API: another
 * service's jobs in a queue of the same name are neither counted nor held by a pause.
 */
public final class QueueRoutes implements HttpApi {

  private final JobQueue jobs;
  private final Set<String> queues;

  public QueueRoutes(JobQueue jobs) {
    this.jobs = jobs;
    this.queues = Set.copyOf(jobs.options().getQueues().keySet());
  }

  @Override
  public void routes(Router router) {
    router.get("/queues").handler(ctx -> jobs.queues().onSuccess(queues -> {
      JsonArray items = new JsonArray();
      queues.stream().filter(q -> this.queues.contains(q.name())).forEach(q -> items.add(q.toJson()));
      send(ctx, new JsonObject().put("items", items));
    }).onFailure(ctx::fail));
    router.post("/queues/:name/pause").handler(ctx -> answer(ctx, jobs.pause(name(ctx))));
    router.post("/queues/:name/resume").handler(ctx -> answer(ctx, jobs.resume(name(ctx))));
  }

  private String name(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!JobRequest.QUEUE_PATTERN.matcher(name).matches()) {
      throw Problem.validation().detail("Queue names are 1 to 40 lower-case letters, digits or '-', starting with a letter")
        .fieldError("name", "is not a valid queue name").asException();
    }
    if (!queues.contains(name)) {
      throw Problem.notFound("No queue named " + name).asException();
    }
    return name;
  }

  private static void answer(RoutingContext ctx, Future<QueueInfo> queue) {
    queue.onSuccess(q -> send(ctx, q.toJson())).onFailure(ctx::fail);
  }

  private static void send(RoutingContext ctx, JsonObject body) {
    if (Requests.writable(ctx)) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(body.toBuffer());
    }
  }
}
