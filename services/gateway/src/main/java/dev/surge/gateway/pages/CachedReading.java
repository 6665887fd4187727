package dev.surge.gateway.pages;

import dev.surge.http.MediaTypes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * A reading made from the services (their metrics, their contracts) and shared by every request of every HTTP
 * instance of the process for {@code maxAgeMs}: however many pages ask, and on however many event loops, the
 * services are asked once per period. A request that comes while one is being made waits for it; a reading that
 * failed is tried again at the next request.
 */
public class CachedReading {

  private final long maxAgeNanos;
  private Future<Buffer> latest;
  private long madeAt;

  protected CachedReading(long maxAgeMs) {
    this.maxAgeNanos = maxAgeMs * 1_000_000;
  }

  /** Answers the request with the reading as JSON, making a new one with {@code make} when the last is too old. */
  public void answer(Vertx vertx, RoutingContext ctx, Supplier<Future<Buffer>> make) {
    Context own = vertx.getOrCreateContext();
    current(make).onComplete(ar -> own.runOnContext(v -> { // the reading may have been made on another event loop
      if (!dev.surge.http.Requests.writable(ctx)) {
        return; // answered meanwhile (the request timeout's 503)
      }
      if (ar.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).putHeader("Cache-Control", "no-store")
          .end(ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    }));
  }

  private synchronized Future<Buffer> current(Supplier<Future<Buffer>> make) {
    long now = System.nanoTime();
    boolean stale = latest == null || latest.failed() || latest.isComplete() && now - madeAt >= maxAgeNanos;
    if (stale) {
      madeAt = now;
      latest = make.get();
    }
    return latest;
  }
}
