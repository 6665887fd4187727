package dev.surge.jobservice.jobs;

import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobState;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's {@code GET /jobs/{id}/events}: Server-Sent Events with the job's state and progress, in order,
 * ending after the job's final state. Events come from the event bus where the job runs on this node, and from
 * reading the job every {@link #POLL_MS} ms wherever it runs. Each event carries a position (attempt, then
 * phase, then progress); one not past the last sent is dropped, so the stream never goes back or repeats.
 */
final class JobEventStream {

  static final long POLL_MS = 1000;
  static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final JobQueue jobs;
  private final long id;
  private final HttpServerResponse response;
  private final MessageConsumer<JsonObject> consumer;
  private final List<JsonObject> early = new ArrayList<>();
  private boolean open;
  private boolean ended;
  private long lastPosition = Long.MIN_VALUE;
  private long sequence;
  private long pollTimer = -1;
  private long heartbeatTimer = -1;

  JobEventStream(Vertx vertx, JobQueue jobs, long id, HttpServerResponse response) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.id = id;
    this.response = response;
    // Listening before the first read: nothing that happens in between is missed.
    this.consumer = vertx.eventBus().localConsumer(JobQueue.eventsAddress(id), message -> offer(message.body()));
  }

  /** Starts the stream with the job as it is now. */
  void open(JsonObject current) {
    response.setChunked(true)
      .putHeader("Content-Type", "text/event-stream; charset=utf-8")
      .putHeader("Cache-Control", "no-cache")
      .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> close());
    open = true;
    offer(current);
    early.forEach(this::offer);
    early.clear();
    if (ended) {
      return;
    }
    pollTimer = vertx.setPeriodic(POLL_MS, t -> jobs.get(id).onSuccess(job -> offer(JobQueue.event(job))));
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, t -> {
      if (!ended) {
        response.write(": keep-alive\n\n");
      }
    });
  }

  /** The job is not there (or could not be read): stop listening; the caller answers. */
  void abandon() {
    close();
  }

  private void offer(JsonObject event) {
    if (ended) {
      return;
    }
    if (!open) {
      early.add(event);
      return;
    }
    long position = position(event);
    if (position <= lastPosition) {
      return;
    }
    lastPosition = position;
    JobState state = JobState.fromWire(event.getString("state"));
    String name = state == JobState.RUNNING && event.containsKey("progress") ? "progress" : "state";
    response.write("id: " + (++sequence) + "\nevent: " + name + "\ndata: " + event.encode() + "\n\n");
    if (state.isFinal()) {
      close();
      response.end();
    }
  }

  /** Attempt, then phase (running, failed, waiting for the next attempt, final), then progress percent. */
  static long position(JsonObject event) {
    JobState state = JobState.fromWire(event.getString("state"));
    int phase = switch (state) {
      case RUNNING -> 1;
      case RETRYABLE -> 2;
      case AVAILABLE, SCHEDULED -> 3;
      case COMPLETED, CANCELLED, DISCARDED -> 4;
    };
    JsonObject progress = event.getJsonObject("progress");
    int percent = state == JobState.RUNNING && progress != null ? progress.getInteger("percent", 0) : -1;
    return ((long) event.getInteger("attempt", 0) << 16) | ((long) phase << 8) | (percent + 1);
  }

  private void close() {
    ended = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(heartbeatTimer);
    consumer.unregister();
  }
}
