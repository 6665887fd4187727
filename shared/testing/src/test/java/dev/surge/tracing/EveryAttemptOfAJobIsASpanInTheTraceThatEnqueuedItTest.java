package dev.surge.tracing;

import dev.surge.ServiceDefinition;
import dev.surge.jobs.JobRequest;
import dev.surge.pg.JobsComponent;
import dev.surge.pg.PostgresComponent;
import dev.surge.testing.TestService;
import dev.surge.testing.TracedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job carries the trace of the request that enqueued it: each attempt, the retry after a failure too, is a
 * {@code job <type>} span in that trace, a child of the request's span; the failed attempt's span is an error, and
 * what the handler does (its SQL) is a child of its attempt's span. On each threading model a handler can run on,
 * and with attempts running at once, each keeping its own span current.
 */
class EveryAttemptOfAJobIsASpanInTheTraceThatEnqueuedItTest {

  private static final String TRACE = "5c1e2a3b4c5d6e7f8091a2b3c4d5e6f7";
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("surge.job.attempt");

  @RegisterExtension
  @Order(1)
  static final TracedSpans spans = new TracedSpans();

  @RegisterExtension
  @Order(2)
  static final TestService service = TestService.perClass(definition(), config());

  private static Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>(TracedSpans.TRACED);
    config.putAll(Map.of("jobs.pollInterval", "50ms", "jobs.backoffBase", "10ms", "jobs.backoffMax", "20ms"));
    return config;
  }

  private static ServiceDefinition definition() {
    return ServiceDefinition.builder("traced-jobs")
      .defaultPort(0)
      .http(ctx -> router -> router.post("/enqueue/:type").handler(rc -> JobsComponent.queue(ctx)
        .enqueue(new JobRequest(rc.pathParam("type")).setMaxAttempts(3))
        .onSuccess(job -> rc.json(new JsonObject().put("id", job.id())))
        .onFailure(rc::fail)))
      .use(PostgresComponent.create())
      .use(JobsComponent.of((ctx, jobs) -> {
        for (ThreadingModel model : List.of(ThreadingModel.EVENT_LOOP, ThreadingModel.WORKER,
          ThreadingModel.VIRTUAL_THREAD)) {
          jobs.register("flaky-" + model.name().toLowerCase().replace('_', '-'), model, job -> {
            Future<JsonObject> queried = PostgresComponent.pool(ctx).query("SELECT 'from the job'").execute()
              .map(rows -> new JsonObject());
            if (model == ThreadingModel.WORKER) { // blocking code waits for what it asked, as such code would
              queried = Future.succeededFuture(queried.toCompletionStage().toCompletableFuture().join());
            } else if (model == ThreadingModel.VIRTUAL_THREAD) {
              queried = Future.succeededFuture(Future.await(queried));
            }
            return job.attempt() == 1 ? queried.compose(v -> Future.failedFuture("the first attempt fails")) : queried;
          });
          // Two at once: a query, a pause while the other runs, and a query that names its job.
          jobs.register("pair-" + model.name().toLowerCase().replace('_', '-'), model, job -> {
            var pool = PostgresComponent.pool(ctx);
            Future<JsonObject> done = pool.query("SELECT 'first'").execute()
              .compose(v -> ctx.vertx().timer(150))
              .compose(v -> pool.query("SELECT 'then job " + job.id() + "'").execute())
              .map(rows -> new JsonObject());
            return model == ThreadingModel.WORKER ? Future.succeededFuture(done.toCompletionStage().toCompletableFuture().join())
              : model == ThreadingModel.VIRTUAL_THREAD ? Future.succeededFuture(Future.await(done)) : done;
          });
        }
      }))
      .build();
  }

  @Test
  void onTheEventLoop() {
    eachAttemptIsInTheRequestsTrace("flaky-event-loop", "0000000000000001");
  }

  @Test
  void onAWorker() {
    eachAttemptIsInTheRequestsTrace("flaky-worker", "0000000000000002");
  }

  @Test
  void onAVirtualThread() {
    eachAttemptIsInTheRequestsTrace("flaky-virtual-thread", "0000000000000003");
  }

  @Test
  void twoAttemptsRunningAtOnceOnTheEventLoopKeepTheirOwnSpans() {
    twoAtOnceKeepTheirOwnSpans("pair-event-loop", "0000000000000004");
  }

  @Test
  void twoAttemptsRunningAtOnceOnVirtualThreadsKeepTheirOwnSpans() {
    twoAtOnceKeepTheirOwnSpans("pair-virtual-thread", "0000000000000005");
  }

  private void twoAtOnceKeepTheirOwnSpans(String type, String caller) {
    String trace = TRACE.substring(0, 16) + caller;
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ids.add(service.client().post("/enqueue/" + type).putHeader("traceparent", "00-" + trace + "-" + caller + "-01")
        .send().toCompletionStage().toCompletableFuture().join().bodyAsJsonObject().getLong("id"));
    }
    for (long id : ids) {
      SpanData attempt = spans.await("for job " + id, s -> s.getName().equals("job " + type)
        && Long.valueOf(id).equals(s.getAttributes().get(AttributeKey.longKey("surge.job.id"))));
      SpanData then = spans.await("for job " + id + "'s second query",
        s -> String.valueOf(s.getAttributes()).contains("then job " + id + "'"));
      assertThat(then.getParentSpanId()).as(TracedSpans.describe(spans.trace(trace))).isEqualTo(attempt.getSpanId());
    }
  }

  private void eachAttemptIsInTheRequestsTrace(String type, String caller) {
    String trace = TRACE.substring(0, 16) + caller;
    var answer = service.client().post("/enqueue/" + type).putHeader("traceparent", "00-" + trace + "-" + caller + "-01")
      .send().toCompletionStage().toCompletableFuture().join();
    assertThat(answer.statusCode()).isEqualTo(200);

    SpanData second = spans.await("for the second attempt", s -> s.getTraceId().equals(trace)
      && s.getName().equals("job " + type) && Long.valueOf(2).equals(s.getAttributes().get(ATTEMPT)));
    List<SpanData> all = spans.trace(trace);
    String seen = TracedSpans.describe(all);
    SpanData request = all.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst()
      .orElseThrow(() -> new AssertionError(seen));
    SpanData first = all.stream().filter(s -> s.getName().equals("job " + type)
      && Long.valueOf(1).equals(s.getAttributes().get(ATTEMPT))).findFirst().orElseThrow(() -> new AssertionError(seen));
    assertThat(first.getParentSpanId()).as(seen).isEqualTo(request.getSpanId());
    assertThat(second.getParentSpanId()).as(seen).isEqualTo(request.getSpanId());
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(second.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(all).as(seen).anyMatch(s -> s.getParentSpanId().equals(second.getSpanId())
      && String.valueOf(s.getAttributes()).contains("from the job"));
  }
}
