package dev.surge.jobservice.http;

import dev.surge.testing.TestService;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A local HTTP server on a free port, answering each path with a handler of the test's. */
final class TestServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
  private final HttpServer server;

  TestServer() {
    server = TestService.await(vertx.createHttpServer().requestHandler(request -> {
      Handler<HttpServerRequest> route = routes.get(request.path());
      if (route == null) {
        request.response().setStatusCode(404).end("no route " + request.path());
      } else {
        route.handle(request);
      }
    }).listen(0, "127.0.0.1"));
  }

  TestServer route(String path, Handler<HttpServerRequest> handler) {
    routes.put(path, handler);
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    TestService.await(vertx.close());
  }
}
