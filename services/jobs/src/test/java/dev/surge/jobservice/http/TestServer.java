package dev.surge.jobservice.http;

import dev.surge.testing.TestService;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server on a free port (or a given address and port), answering each path with a handler of the
 * test's, and counting the connections it accepted and the requests it saw.
 */
final class TestServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  TestServer() {
    this("127.0.0.1", 0);
  }

  TestServer(String host, int port) {
    server = TestService.await(vertx.createHttpServer()
      .connectionHandler(connection -> connections.incrementAndGet())
      .requestHandler(request -> {
        requests.add(request.method() + " " + request.uri() + " Host: " + request.authority());
        Handler<HttpServerRequest> route = routes.get(request.path());
        if (route == null) {
          request.response().setStatusCode(404).end("no route " + request.path());
        } else {
          route.handle(request);
        }
      }).listen(port, host));
  }

  TestServer route(String path, Handler<HttpServerRequest> handler) {
    routes.put(path, handler);
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  int port() {
    return server.actualPort();
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** Each request seen: method, URI and Host, such as {@code GET /a Host: hooks.surge.test:4711}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    TestService.await(vertx.close());
  }
}
