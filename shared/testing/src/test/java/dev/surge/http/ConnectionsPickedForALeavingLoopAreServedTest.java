package dev.surge.http;

import dev.surge.net.FreePorts;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers share a port, each alone on its event loop; new connections arrive while the second one's loop is
 * busy, and the acceptor picks that loop for about half of them: they wait in its queue. Left to Vert.x, a server
 * that leaves its loop first has those connections closed unread. Taken out of the acceptor's rotation first
 * ({@link AcceptRotation}, as a handing-off instance is), the loop gets no new connection, those it was given
 * still reach its server, and the server then closes without dropping any.
 */
class ConnectionsPickedForALeavingLoopAreServedTest {

  private static final int CONNECTIONS = 30;
  private static final long BUSY_MS = 300;

  private Vertx vertx;
  private int port;
  private HttpServer stays;
  private HttpServer leaves;
  private Context leavingContext;

  @BeforeEach
  void twoServersOnTwoLoops() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setMaxEventLoopExecuteTime(10)
      .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
    port = FreePorts.pick();
    Context first = ((VertxInternal) vertx).createEventLoopContext();
    leavingContext = ((VertxInternal) vertx).createEventLoopContext();
    stays = listen(first, "stays");
    leaves = listen(leavingContext, "leaves");
    assertNotEquals(threadOf(first), threadOf(leavingContext), "each server on an event loop of its own");
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aLoopOutOfTheRotationGetsNoNewConnectionAndServesThoseItWasGiven() throws Exception {
    AcceptRotation rotation = AcceptRotation.of(leaves);
    assertNotNull(rotation, "Vert.x's acceptor internals are the expected ones");
    CompletableFuture<Void> left = new CompletableFuture<>();
    List<String> outcomes = connectWhileBusy(() -> {
      sleep(BUSY_MS / 2); // the acceptor picks this loop for some connections meanwhile: they queue behind us
      assertTrue(rotation.leaveIfLast(), "the leaving server is the last on its loop");
      left.complete(null);
      sleep(BUSY_MS / 2);
    }, () -> await(left));

    assertEquals(List.of(), outcomes.stream().filter(o -> !o.startsWith("HTTP/1.1 200")).toList(),
      "every connection answered: " + outcomes);
    assertTrue(outcomes.subList(0, CONNECTIONS / 2).stream().anyMatch(o -> o.endsWith("leaves")),
      "connections picked for the loop before it left reached its server: " + outcomes);
    assertTrue(outcomes.subList(CONNECTIONS / 2, CONNECTIONS).stream().allMatch(o -> o.endsWith("stays")),
      "once out of the rotation, the loop got no new connection, so closing its server cannot drop one: " + outcomes);

    CompletableFuture<Void> closed = new CompletableFuture<>();
    leavingContext.runOnContext(v -> {
      rotation.beforeClose();
      leaves.shutdown().onComplete(ar -> closed.complete(null));
    });
    closed.get(5, TimeUnit.SECONDS);
    assertEquals("stays", get(), "the port is still served");
  }

  /**
   * What {@link AcceptRotation} works around, so that a Vert.x that stops closing these connections shows here, and
   * the reflection can go.
   */
  @Test
  void leftToVertxTheConnectionsPickedForTheLoopAreClosedUnread() throws Exception {
    List<String> outcomes = connectWhileBusy(() -> {
      sleep(BUSY_MS);
      leaves.shutdown(); // takes the server off its loop at once: the connections queued behind find none
    }, () -> { });

    assertTrue(outcomes.contains("closed unread"), "some connections were closed before any answer: " + outcomes);
    assertEquals("stays", get());
  }

  /**
   * Runs {@code busy} on the leaving server's loop and, meanwhile, opens the connections, each sending a request at
   * once, {@code halfway} running when half are open; then reads each connection's outcome: its status line and
   * body, or "closed unread".
   */
  private List<String> connectWhileBusy(Runnable busy, Runnable halfway) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    leavingContext.runOnContext(v -> {
      try {
        busy.run();
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      if (i == CONNECTIONS / 2) {
        halfway.run();
      }
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
      sockets.add(socket);
      Thread.sleep(BUSY_MS / CONNECTIONS);
    }
    List<String> outcomes = new ArrayList<>();
    for (Socket socket : sockets) {
      outcomes.add(read(socket));
      socket.close();
    }
    done.get(5, TimeUnit.SECONDS);
    return outcomes;
  }

  private static void await(CompletableFuture<Void> future) {
    try {
      future.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String read(Socket socket) {
    try (InputStream in = socket.getInputStream()) {
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      if (answer.isEmpty()) {
        return "closed unread";
      }
      return answer.lines().findFirst().orElse("") + " " + answer.substring(answer.indexOf("\r\n\r\n") + 4);
    } catch (IOException e) {
      return "closed unread";
    }
  }

  private String get() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
  }

  private HttpServer listen(Context context, String name) throws Exception {
    CompletableFuture<HttpServer> listening = new CompletableFuture<>();
    context.runOnContext(v -> {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
          .setHttp2ClearTextEnabled(false))
        .requestHandler(request -> request.response().end(name));
      server.listen().onComplete(ar -> {
        if (ar.succeeded()) {
          listening.complete(server);
        } else {
          listening.completeExceptionally(ar.cause());
        }
      });
    });
    return listening.get(10, TimeUnit.SECONDS);
  }

  private static String threadOf(Context context) throws Exception {
    CompletableFuture<String> name = new CompletableFuture<>();
    context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
    return name.get(5, TimeUnit.SECONDS);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
