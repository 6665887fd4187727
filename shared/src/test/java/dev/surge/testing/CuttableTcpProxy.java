package dev.surge.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between a service and a server (PostgreSQL, Redis) that a test can cut and restore, to take a
 * dependency away from one node only: the machine's servers are shared with other tests and must never stop.
 * Cut, it drops every connection and refuses new ones, as a network partition that resets connections would.
 * Vert.x has no proxy of its own for this; piping two sockets into each other is all it takes.
 */
public final class CuttableTcpProxy implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final NetClient client = vertx.createNetClient();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final NetServer server;
  private volatile boolean cut;

  private CuttableTcpProxy(String targetHost, int targetPort) {
    server = vertx.createNetServer().connectHandler(inbound -> {
      if (cut) {
        inbound.close();
        return;
      }
      inbound.pause();
      sockets.add(inbound);
      inbound.closeHandler(v -> sockets.remove(inbound));
      client.connect(targetPort, targetHost).onComplete(ar -> {
        if (ar.failed() || cut) {
          inbound.close();
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        NetSocket outbound = ar.result();
        sockets.add(outbound);
        outbound.closeHandler(v -> {
          sockets.remove(outbound);
          inbound.close();
        });
        inbound.closeHandler(v -> {
          sockets.remove(inbound);
          outbound.close();
        });
        inbound.pipeTo(outbound);
        outbound.pipeTo(inbound);
      });
    });
    TestService.await(server.listen(0, "127.0.0.1"));
  }

  public static CuttableTcpProxy to(String host, int port) {
    return new CuttableTcpProxy(host, port);
  }

  public int port() {
    return server.actualPort();
  }

  /** Drops every connection through the proxy and refuses new ones until {@link #restore()}. */
  public void cut() {
    cut = true;
    sockets.forEach(NetSocket::close);
  }

  public void restore() {
    cut = false;
  }

  @Override
  public void close() {
    cut();
    TestService.await(vertx.close());
  }
}
