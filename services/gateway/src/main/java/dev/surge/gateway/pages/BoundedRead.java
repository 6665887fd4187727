package dev.surge.gateway.pages;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/** One answer read whole from a replica, bounded in size and in time from asking to its last byte. */
public final class BoundedRead {

  private BoundedRead() {
  }

  /**
   * The body of a 200 with a Content-Length of at most {@code maxBytes}, all of it within {@code timeoutMs} of
   * asking (the request is reset then, whatever the replica still sends); else a failed future saying why.
   */
  public static Future<Buffer> read(Vertx vertx, HttpClient client, RequestOptions request, long timeoutMs,
                                    long maxBytes) {
    return client.request(request.setTimeout(timeoutMs)).compose(req -> {
      long deadline = vertx.setTimer(timeoutMs, id -> req.reset()); // a trickle is no answer either
      return req.send().compose(response -> {
        String length = response.getHeader("Content-Length");
        if (response.statusCode() != 200 || length == null || !length.matches("[0-9]{1,10}")
          || Long.parseLong(length) > maxBytes) {
          req.reset();
          return Future.<Buffer>failedFuture(request.getURI() + ": " + response.statusCode() + ", " + length
            + " bytes");
        }
        return response.body();
      }).onComplete(ar -> vertx.cancelTimer(deadline));
    });
  }
}
