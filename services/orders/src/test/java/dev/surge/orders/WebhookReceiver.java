package dev.surge.orders;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static dev.surge.testing.TestService.await;

/**
 * A webhook receiver as a client would write one: it keeps every post it accepted, and tells a change it has seen
 * by its event id. {@code answer} gives the status of each post, from its body and how many times that event (or,
 * without an event id, that order) was posted before.
 */
final class WebhookReceiver implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final List<JsonObject> accepted = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
  private final HttpServer server;

  WebhookReceiver(BiFunction<JsonObject, Integer, Future<Integer>> answer) {
    server = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      String id = json.getString("eventId", json.getString("id"));
      int before = posts.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement();
      answer.apply(json, before).onComplete(status -> {
        int code = status.succeeded() ? status.result() : 500;
        if (code / 100 == 2) {
          accepted.add(json);
        }
        request.response().setStatusCode(code).end();
      });
    })).listen(0, "127.0.0.1"));
  }

  Vertx vertx() {
    return vertx;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/orders";
  }

  /** How many times the event was posted, accepted or not. */
  int posts(String eventId) {
    AtomicInteger n = posts.get(eventId);
    return n == null ? 0 : n.get();
  }

  /** The order's changes the receiver accepted, each once (by event id), in the order they first came. */
  List<JsonObject> changes(String orderId) {
    Map<String, JsonObject> seen = new LinkedHashMap<>();
    for (JsonObject post : accepted) {
      if (orderId.equals(post.getString("orderId", post.getString("id")))) {
        seen.putIfAbsent(post.getString("eventId", post.getString("id")), post);
      }
    }
    return new ArrayList<>(seen.values());
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
