package dev.surge.arbiter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Reads a path (mostly {@code /metrics}) on a new connection each time. While instances come and go, a kept-alive connection may
 * belong to one handing off, and Vert.x's own client can fail a request on it (see {@code LoadLoop}).
 */
final class Scrapes {

  private Scrapes() {
  }

  static String metrics(int port) {
    return get(port, "/metrics").body();
  }

  static HttpResponse<String> get(int port, String path) {
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
