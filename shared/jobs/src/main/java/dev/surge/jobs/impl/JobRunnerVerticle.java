package dev.surge.jobs.impl;

import dev.surge.jobs.PermanentJobFailure;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Runs the attempts the dispatcher sends it over the local event bus and replies with their outcome. Deployed
 * once per threading model in use: on an event loop, as a virtual-thread verticle (each message on a virtual
 * thread of its own, free to {@code await}), and, for the worker model, on an event loop that hands each attempt
 * to the queue's worker pool, so a long blocking job never holds up the next message.
 */
final class JobRunnerVerticle extends VerticleBase {

  /** The reply's failure code for an ordinary failure (retried while attempts remain) and for a permanent one. */
  static final int FAILED = 1;
  static final int FAILED_PERMANENTLY = 2;

  private final String address;
  private final ThreadingModel model;
  private final WorkerExecutor workers;
  private final AttemptSpans spans;
  private final int maxResultSize;
  private MessageConsumer<Attempt> consumer;

  JobRunnerVerticle(String address, ThreadingModel model, WorkerExecutor workers, AttemptSpans spans,
                    int maxResultSize) {
    this.address = address;
    this.model = model;
    this.workers = workers;
    this.spans = spans;
    this.maxResultSize = maxResultSize;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(address, this::run);
    return consumer.completion();
  }

  private void run(Message<Attempt> message) {
    if (model == ThreadingModel.VIRTUAL_THREAD) {
      // A new task per attempt: the message handler returns at once, so the consumer delivers the next message
      // while this one awaits; the context runs each task on a virtual thread of its own.
      // The message's own context, not the verticle's: what the attempt makes current (its span) stays its own.
      Vertx.currentContext().runOnContext(v -> execute(message));
    } else {
      execute(message);
    }
  }

  private void execute(Message<Attempt> message) {
    Attempt attempt = message.body();
    AttemptSpans.Running span = spans.start(attempt); // current until the outcome, on this message's context
    Future<JsonObject> outcome = model == ThreadingModel.WORKER
      ? workers.<Future<JsonObject>>executeBlocking(() -> invoke(attempt), false).compose(f -> f)
      : invoke(attempt);
    outcome.onComplete(ar -> {
      Throwable failure = ar.succeeded() ? oversized(ar.result()) : ar.cause();
      span.end(failure);
      if (failure == null) {
        message.reply(ar.result());
      } else {
        message.fail(failure instanceof PermanentJobFailure ? FAILED_PERMANENTLY : FAILED, describe(failure));
      }
    });
  }

  /**
   * A permanent failure when {@code result} cannot be stored (nothing of it is): larger than a job may keep, not
   * writable as JSON (a type JSON has not, nesting without end), or holding U+0000, which PostgreSQL's jsonb
   * refuses (the batch storing it would fail again at each try, and every completion behind it); else null.
   */
  private PermanentJobFailure oversized(JsonObject result) {
    if (result == null || result.isEmpty()) {
      return null;
    }
    String encoded;
    try {
      encoded = result.encode();
    } catch (Throwable e) { // StackOverflowError included: a handler's result must not leave its job running
      return new PermanentJobFailure("the result cannot be written as JSON (" + e.getClass().getSimpleName() + ")");
    }
    if (encoded.contains("\\u0000")) {
      return new PermanentJobFailure("the result holds the character U+0000, which PostgreSQL does not store");
    }
    int size = encoded.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return size <= maxResultSize ? null : new PermanentJobFailure(
      "the result is " + size + " bytes of JSON, over the " + maxResultSize + " a job may keep (jobs.maxResultSize)");
  }

  private static Future<JsonObject> invoke(Attempt attempt) {
    try {
      Future<JsonObject> result = attempt.handler.run(attempt);
      return result == null ? Future.succeededFuture() : result;
    } catch (Throwable e) {
      return Future.failedFuture(e);
    }
  }

  static String describe(Throwable error) {
    String message = error.getMessage();
    String text = error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > 2000 ? text.substring(0, 2000) : text;
  }
}
