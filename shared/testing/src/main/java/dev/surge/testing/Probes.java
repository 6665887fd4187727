package dev.surge.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.function.Predicate;


/**
 * Polls a health endpoint as an orchestrator's probe does: a new connection each time, so each lands on an event
 * loop Vert.x picks, most of them not a stuck one; each try with a short timeout, so that a try that lands on a
 * blocked loop gets no answer and the next one goes on. Closing it closes its own Vert.x.
 */
public final class Probes implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));

  /** Its client, a new connection per request, for other requests that must avoid a blocked loop too. */
  public WebClient client() {
    return client;
  }

  /** The first answer from {@code path} that is as wanted; fails after 200 tries, 50 ms apart. */
  public HttpResponse<Buffer> until(int port, String path, Predicate<HttpResponse<Buffer>> wanted)
    throws InterruptedException {
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 200; i++) {
      try {
        last = TestService.await(client.get(port, "127.0.0.1", path).timeout(500).send());
        if (wanted.test(last)) {
          return last;
        }
      } catch (RuntimeException landedOnTheBlockedLoop) {
        // timed out: this connection went to the blocked loop
      }
      Thread.sleep(50);
    }
    throw new AssertionError(path + " never as wanted; last: " + (last == null ? null : last.statusCode() + " "
      + last.bodyAsString()));
  }

  @Override
  public void close() {
    vertx.close();
  }
}
