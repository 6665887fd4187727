package dev.surge.gateway;

import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stand-in upstream replicas on loopback, each a real HTTP server of its own: answers its name, after
 * {@code ?ms=} milliseconds when asked, with a 500 on a path ending in /fail, a 503 with Retry-After on one ending in
 * /busy, a 504 with Retry-After on one ending in /unknown, and a 503 on /health/ready when
 * told it is not ready, {@code /big?mb=} megabytes on request, and counts the bytes of a body it is sent.
 */
final class Replicas implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final List<HttpServer> servers = new ArrayList<>();
  private final java.util.Set<String> unready = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong checks = new AtomicLong();

  /** Requests the replicas have begun to receive (their head), readiness checks left out. */
  long requests() {
    return requests.get();
  }

  /** Readiness checks the replicas have been sent, all together. */
  long checks() {
    return checks.get();
  }

  /** Connections the hung and resetting replicas have been sent a request on. */
  long connections() {
    return connections.get();
  }

  /** Its /health/ready answers 503 (or 200 again). */
  void ready(String name, boolean ready) {
    if (ready) {
      unready.remove(name);
    } else {
      unready.add(name);
    }
  }

  /** Starts one; its address as host:port. */
  String start(String name) {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (!request.path().equals("/health/ready")) {
        requests.incrementAndGet();
      } else {
        checks.incrementAndGet();
      }
      if (request.path().endsWith("/early503")) { // before reading the body, as a service timing out on it would
        request.response().setStatusCode(503).putHeader("X-Replica", name).end();
        return;
      }
      if (request.path().endsWith("/busy")) { // a considered refusal: overloaded, or a dependency of its own down
        request.response().setStatusCode(503).putHeader("Retry-After", "1").putHeader("X-Replica", name).end();
        return;
      }
      if (request.path().endsWith("/unknown")) { // considered too: orders' outcome-unknown, its database slow
        request.response().setStatusCode(504).putHeader("Retry-After", "1").putHeader("X-Replica", name).end();
        return;
      }
      if (request.path().endsWith("/big")) {
        writeBytes(request.response().setChunked(true), Long.parseLong(request.getParam("mb")) * 1024 * 1024);
        return;
      }
      AtomicLong bytes = new AtomicLong();
      request.handler(chunk -> bytes.addAndGet(chunk.length()));
      request.endHandler(v -> {
        String ms = request.getParam("ms");
        Runnable answer = () -> request.response()
          .setStatusCode(request.path().endsWith("/fail") ? 500
            : request.path().equals("/health/ready") && unready.contains(name) ? 503 : 200)
          .putHeader("X-Replica", name)
          .putHeader("X-Seen-Path", request.uri())
          .putHeader("X-Seen-Request-Id", String.valueOf(request.getHeader("X-Request-Id")))
          .putHeader("X-Seen-Forwarded-For", String.join(" | ", request.headers().getAll("X-Forwarded-For")))
          .putHeader("X-Seen-Forwarded", String.valueOf(request.getHeader("Forwarded")))
          .putHeader("X-Seen-Authorization", String.valueOf(request.getHeader("Authorization")))
          .end(name + " " + bytes.get());
        if (ms == null) {
          answer.run();
        } else {
          vertx.setTimer(Long.parseLong(ms), id -> answer.run());
        }
      });
    });
    servers.add(TestService.await(server.listen(0, "127.0.0.1")));
    return "127.0.0.1:" + server.actualPort();
  }

  /**
   * Starts one that is ready, as far as its checks go, and closes the connection of any other request it is sent
   * without answering it, as a replica killed with requests in hand; its address.
   */
  String startBreakingOff() {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/health/ready")) {
        request.response().end();
      } else {
        requests.incrementAndGet();
        request.connection().close();
      }
    });
    servers.add(TestService.await(server.listen(0, "127.0.0.1")));
    return "127.0.0.1:" + server.actualPort();
  }

  /** Starts one that accepts connections and reads what it is sent but never answers; its address. */
  String startHung() {
    return startRaw(new io.vertx.core.net.NetServerOptions(), (socket, bytes) -> {
    });
  }

  /** Starts one that resets each connection (TCP RST) as soon as a request arrives on it; its address. */
  String startResetting() {
    return startRaw(new io.vertx.core.net.NetServerOptions().setSoLinger(0), (socket, bytes) -> socket.close());
  }

  private String startRaw(io.vertx.core.net.NetServerOptions options,
                          java.util.function.BiConsumer<io.vertx.core.net.NetSocket, io.vertx.core.buffer.Buffer> onData) {
    io.vertx.core.net.NetServer server = vertx.createNetServer(options).connectHandler(socket -> {
      boolean[] counted = {false};
      socket.handler(bytes -> {
        if (!counted[0]) {
          counted[0] = true;
          connections.incrementAndGet();
        }
        onData.accept(socket, bytes);
      });
    });
    TestService.await(server.listen(0, "127.0.0.1"));
    return "127.0.0.1:" + server.actualPort();
  }

  /** Writes {@code total} bytes to {@code out}, only as fast as the other side reads, then ends it. */
  static void writeBytes(io.vertx.core.streams.WriteStream<io.vertx.core.buffer.Buffer> out, long total) {
    io.vertx.core.buffer.Buffer chunk = io.vertx.core.buffer.Buffer.buffer(new byte[64 * 1024]);
    long[] left = {total};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (left[0] > 0 && !out.writeQueueFull()) {
        out.write(chunk);
        left[0] -= chunk.length();
      }
      if (left[0] <= 0) {
        out.end();
      } else {
        out.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
  }

  @Override
  public void close() {
    TestService.await(vertx.close());
  }
}
