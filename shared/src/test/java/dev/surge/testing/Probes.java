package dev.surge.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.function.Predicate;


/**
 * Polls a health endpoint as an orchestrator's probe does, each try with a short timeout: with an event loop
 * blocked, a try whose connection lands on that loop gets no answer, and the next one goes on.
 */
public final class Probes {

  private Probes() {
  }

  /** The first answer from {@code path} that is as wanted; fails after 200 tries, 50 ms apart. */
  public static HttpResponse<Buffer> until(WebClient client, int port, String path,
                                           Predicate<HttpResponse<Buffer>> wanted) throws InterruptedException {
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
}
