package dev.surge.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for the tests that change instances under it: {@code concurrency} clients on keep-alive connections,
 * each sending its next request as soon as the last is answered, as wrk does, counting every answer that is not a
 * 200 and every request that got no answer at all.
 *
 * <p>Plain sockets rather than Vert.x's client: that client can hand a request to a connection it is about to
 * close after a {@code Connection: close} answer (eclipse-vertx/vert.x#2773), and the request then fails as if
 * the server had dropped it. Here a connection is closed after such an answer and never reused, as RFC 9112
 * §9.6 says, so a failure is always the server's.
 */
public final class LoadLoop implements AutoCloseable {

  private final String host = "127.0.0.1";
  private final int port;
  private final byte[] request;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> clients = new ArrayList<>();

  private LoadLoop(int port, String path, int concurrency) {
    this.port = port;
    this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < concurrency; i++) {
      clients.add(Thread.ofPlatform().daemon().name("load-" + i).start(this::client));
    }
  }

  public static LoadLoop start(int port, String path, int concurrency) {
    return new LoadLoop(port, path, concurrency);
  }

  private void client() {
    while (running.get()) {
      try (Socket socket = new Socket(host, port)) {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        boolean keepAlive = true;
        while (keepAlive && running.get()) {
          out.write(request);
          out.flush();
          Response response = Response.read(in);
          if (response == null) {
            failures.add("connection closed with the request unanswered");
            break;
          }
          if (response.status == 200) {
            succeeded.incrementAndGet();
          } else {
            failures.add(response.status + " " + response.body);
          }
          keepAlive = !response.close;
        }
        reconnects.incrementAndGet();
      } catch (IOException e) {
        if (running.get()) {
          failures.add("no answer: " + e);
        }
      }
    }
  }

  private record Response(int status, boolean close, String body) {

    /** One response with a Content-Length body; null when the connection ends before its status line. */
    static Response read(InputStream in) throws IOException {
      String statusLine = line(in);
      if (statusLine == null) {
        return null;
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      int length = 0;
      boolean close = false;
      for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring(15).trim());
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      byte[] body = in.readNBytes(length);
      if (body.length < length) {
        throw new IOException("connection closed in the middle of a response body");
      }
      return new Response(status, close, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1; c = in.read()) {
        if (c == '\n') {
          return line.toString();
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.isEmpty() ? null : line.toString();
    }
  }

  public long succeeded() {
    return succeeded.get();
  }

  /** Connections closed after a {@code Connection: close} answer (and at the end). */
  public long reconnects() {
    return reconnects.get();
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** Waits until {@code more} requests beyond the count now have succeeded: the load is really flowing. */
  public void awaitMore(long more) throws InterruptedException {
    long target = succeeded.get() + more;
    for (int i = 0; i < 600 && succeeded.get() < target; i++) {
      Thread.sleep(50);
    }
    if (succeeded.get() < target) {
      throw new AssertionError("load stalled at " + succeeded.get() + " answers; failures " + failures());
    }
  }

  /** Stops sending and waits for the answers still due. */
  @Override
  public void close() {
    running.set(false);
    for (Thread client : clients) {
      try {
        client.join(35_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
