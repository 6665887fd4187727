package dev.surge.jobservice.jobs;

import dev.surge.jobs.JobQueue;
import dev.surge.jobs.JobState;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's {@code GET /jobs/{id}/events}: Server-Sent Events with the job's state and progress, in order,
 * ending after the job's final state, or at {@code jobs.events.maxLife} (the client reconnects). Events come
 * from the job's local event-bus address: the queue publishes there the changes it makes on this node, and the
 * job's one source in {@link JobEventStreams} what it reads of the job wherever it runs. Each event carries a
 * position (attempt, then phase, then progress); one not past the last sent is dropped, so the stream never
 * goes back or repeats.
 */
final class JobEventStream {

  static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final JobEventStreams streams;
  private final String client;
  private final long id;
  private final HttpServerResponse response;
  private final Duration maxLife;
  private final MessageConsumer<JsonObject> consumer;
  private final List<JsonObject> early = new ArrayList<>();
  private boolean open;
  private boolean ended;
  private boolean watched;
  private long lastPosition = Long.MIN_VALUE;
  private long sequence;
  private long lifeTimer = -1;
  private long tickTimer = -1;
  private long heartbeatTimer = -1;

  JobEventStream(Vertx vertx, JobEventStreams streams, String client, long id, HttpServerResponse response,
                 Duration maxLife) {
    this.vertx = vertx;
    this.streams = streams;
    this.client = client;
    this.id = id;
    this.response = response;
    this.maxLife = maxLife;
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
    watched = true;
    streams.watch(id);
    tickTimer = vertx.setPeriodic(JobEventStreams.POLL_MS, t -> streams.tick(id));
    // A stream on a job that never ends (scheduled for next year, say) is not held for ever: it ends, and the
    // client's EventSource reconnects, counted again against the caps.
    lifeTimer = vertx.setTimer(maxLife.toMillis(), t -> {
      if (!ended) {
        close();
        response.end(": the stream reached its maximum life (jobs.events.maxLife); reconnect\n\n");
      }
    });
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
    if (ended) {
      return;
    }
    ended = true;
    vertx.cancelTimer(lifeTimer);
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(heartbeatTimer);
    consumer.unregister();
    streams.closed(client, id, watched);
  }
}
