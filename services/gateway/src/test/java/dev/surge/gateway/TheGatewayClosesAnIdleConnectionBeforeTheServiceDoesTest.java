package dev.surge.gateway;

import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection to a replica left idle in the gateway's pool is closed by the gateway after {@code gateway.keepAlive}
 * (30 s by default), below the services' {@code http.idleTimeout} (60 s): when both sides gave up on it at the same
 * moment, a request the gateway sent on it as the service closed it broke off, and a POST, which cannot be sent
 * again, was answered 502 (seen once in the compose test, a minute after a burst had grown the pool). Here the
 * replica never closes an idle connection itself, so only the gateway can.
 */
class TheGatewayClosesAnIdleConnectionBeforeTheServiceDoesTest {

  @Test
  void theConnectionAPostWasSentOnIsClosedByTheGatewayOnceIdle() throws Exception {
    Vertx vertx = Vertx.vertx();
    Set<HttpConnection> carriedRequests = ConcurrentHashMap.newKeySet();
    Set<HttpConnection> closed = ConcurrentHashMap.newKeySet();
    try {
      HttpServer replica = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(0))
        .connectionHandler(connection -> connection.closeHandler(v -> closed.add(connection)))
        .requestHandler(request -> {
          if (!request.path().equals("/health/ready")) {
            carriedRequests.add(request.connection());
          }
          request.body().onComplete(body -> request.response().end("ok"));
        });
      TestService.await(replica.listen(0, "127.0.0.1"));
      try (TestService gateway = Gateways.inFrontOf("127.0.0.1:" + replica.actualPort(),
        Map.of("gateway.keepAlive", "1s"))) {
        var post = gateway.send(HttpMethod.POST, "/api/catalog/things",
          MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain"), "x");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(carriedRequests).hasSize(1);

        for (int i = 0; i < 100 && !closed.containsAll(carriedRequests); i++) {
          Thread.sleep(100);
        }

        assertThat(closed).as("connections the gateway closed, the replica never closing one itself")
          .containsAll(carriedRequests);
      }
    } finally {
      TestService.await(vertx.close());
    }
  }
}
