package dev.surge.gateway.pages;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

import java.util.function.IntPredicate;

/** One answer read whole from a replica, bounded in size and in time from asking to its last byte. */
public final class BoundedRead {

  /** An answer read whole: its status, its Content-Type (or null) and its body. */
  public record Answer(int status, String contentType, Buffer body) {
  }

  private BoundedRead() {
  }

  /**
   * The body of a 200 with a Content-Length of at most {@code maxBytes}, all of it within {@code timeoutMs} of
   * asking (the request is reset then, whatever the replica still sends); else a failed future saying why.
   */
  public static Future<Buffer> read(Vertx vertx, HttpClient client, RequestOptions request, long timeoutMs,
                                    long maxBytes) {
    return exchange(vertx, client, request, null, status -> status == 200, timeoutMs, maxBytes).map(Answer::body);
  }

  /**
   * Sends the request (with {@code body}, when not null) and reads an answer whose status {@code accepted} takes,
   * with a Content-Length of at most {@code maxBytes}, all of it within {@code timeoutMs} of asking; else a failed
   * future saying why.
   */
  public static Future<Answer> exchange(Vertx vertx, HttpClient client, RequestOptions request, Buffer body,
                                        IntPredicate accepted, long timeoutMs, long maxBytes) {
    return client.request(request.setTimeout(timeoutMs)).compose(req -> {
      long deadline = vertx.setTimer(timeoutMs, id -> req.reset()); // a trickle is no answer either
      return (body == null ? req.send() : req.send(body)).compose(response -> {
        String length = response.getHeader("Content-Length");
        if (!accepted.test(response.statusCode()) || length == null || !length.matches("[0-9]{1,10}")
          || Long.parseLong(length) > maxBytes) {
          req.reset();
          return Future.<Answer>failedFuture(request.getURI() + ": " + response.statusCode() + ", " + length
            + " bytes");
        }
        return response.body().map(b -> new Answer(response.statusCode(), response.getHeader("Content-Type"), b));
      }).onComplete(ar -> vertx.cancelTimer(deadline));
    });
  }
}
