package dev.surge.http;

import io.netty.channel.EventLoop;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * Takes a leaving HTTP server's event loop out of Vert.x's accept rotation before the server closes, when the
 * server is the last one on that loop.
 *
 * <p>Why this reaches into Vert.x (5.0): the servers sharing a port share one acceptor, which picks an event loop
 * for each new connection on its own thread and hands the connection to a server of that loop later, on the loop
 * ({@code ServerChannelLoadBalancer.initChannel}). A connection picked for a loop whose last server closed in
 * between is closed unread: the client sees a reset before any answer. Vert.x has no API to stop accepting for one
 * loop before its server leaves, so an instance leaving while new connections arrive (its own clients coming back
 * on new connections after its {@code Connection: close}, for a start) loses a few. Here the loop leaves the
 * rotation first, the server keeps its place in the loop's list of servers until it closes (so connections already
 * picked for the loop still find it), and then leaves that list itself, so Vert.x's own removal finds nothing left
 * to do. If Vert.x's internals are not the expected ones, nothing is done and the server closes as before.
 */
final class AcceptRotation {

  private static final Logger LOG = LoggerFactory.getLogger(AcceptRotation.class);
  private static final Internals INTERNALS = Internals.find();

  private final Object balancer;
  private final EventLoop loop;
  private final Object worker;
  private boolean left;

  private AcceptRotation(Object balancer, EventLoop loop, Object worker) {
    this.balancer = balancer;
    this.loop = loop;
    this.worker = worker;
  }

  /** The server's place in the acceptor's rotation; null when it cannot be found (not listening, other internals). */
  static AcceptRotation of(HttpServer server) {
    if (INTERNALS == null) {
      return null;
    }
    try {
      Object net = INTERNALS.tcpServer.get(server);
      if (net == null) {
        return null;
      }
      Object actual = INTERNALS.actualServer.get(net);
      Object balancer = actual == null ? null : INTERNALS.channelBalancer.get(actual);
      EventLoop loop = (EventLoop) INTERNALS.eventLoop.get(net);
      Object worker = INTERNALS.worker.get(net);
      return balancer == null || loop == null || worker == null ? null : new AcceptRotation(balancer, loop, worker);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("Cannot find the accept rotation of {}: {}", server, e.toString());
      return null;
    }
  }

  /**
   * Takes the loop out of the rotation when this server is the last one on it and another loop still accepts:
   * true if it did so now. New connections then go to the other loops; those already picked for this one still
   * come to this server.
   */
  boolean leaveIfLast() {
    if (left) {
      return false;
    }
    try {
      synchronized (balancer) {
        List<?> servers = serversOnLoop();
        Object group = INTERNALS.workers.get(balancer);
        if (servers == null || servers.size() != 1 || !servers.contains(worker)
          || (int) INTERNALS.workerCount.invoke(group) < 2) {
          return false;
        }
        INTERNALS.removeLoop.invoke(group, loop);
        left = true;
        return true;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("Cannot take {} out of the accept rotation: {}", loop, e.toString());
      return false;
    }
  }

  /**
   * Just before the server closes: when the loop left the rotation, the server leaves the loop's list of servers
   * too, which is all Vert.x's own removal has left to do (the loop is no longer in the rotation to remove).
   */
  void beforeClose() {
    if (!left) {
      return;
    }
    try {
      synchronized (balancer) {
        Map<?, ?> byLoop = (Map<?, ?>) INTERNALS.workerMap.get(balancer);
        Object servers = byLoop.get(loop);
        if (servers == null || !(boolean) INTERNALS.removeServer.invoke(servers, worker)) {
          return;
        }
        if ((boolean) INTERNALS.isEmpty.invoke(servers)) {
          byLoop.remove(loop);
        }
        if (byLoop.isEmpty()) {
          INTERNALS.hasHandlers.setBoolean(balancer, false);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Cannot take the server off {} before it closes: {}", loop, e.toString());
    }
  }

  private List<?> serversOnLoop() throws IllegalAccessException {
    Object servers = ((Map<?, ?>) INTERNALS.workerMap.get(balancer)).get(loop);
    return servers == null ? null : (List<?>) INTERNALS.list.get(servers);
  }

  /** The fields and methods used, looked up once. */
  private record Internals(Field tcpServer, Field actualServer, Field channelBalancer, Field eventLoop, Field worker,
                           Field workerMap, Field workers, Field hasHandlers, Field list, Method removeServer,
                           Method isEmpty, Method removeLoop, Method workerCount) {

    static Internals find() {
      try {
        Class<?> httpServer = Class.forName("io.vertx.core.http.impl.HttpServerImpl");
        Class<?> netServer = Class.forName("io.vertx.core.net.impl.NetServerImpl");
        Class<?> balancer = Class.forName("io.vertx.core.net.impl.ServerChannelLoadBalancer");
        Class<?> workerList = Class.forName("io.vertx.core.net.impl.ServerChannelLoadBalancer$WorkerList");
        Class<?> group = Class.forName("io.vertx.core.net.impl.VertxEventLoopGroup");
        Class<?> handler = Class.forName("io.vertx.core.Handler");
        return new Internals(field(httpServer, "tcpServer"), field(netServer, "actualServer"),
          field(netServer, "channelBalancer"), field(netServer, "eventLoop"), field(netServer, "worker"),
          field(balancer, "workerMap"), field(balancer, "workers"), field(balancer, "hasHandlers"),
          field(workerList, "list"), method(workerList, "removeWorker", handler), method(workerList, "isEmpty"),
          method(group, "removeWorker", EventLoop.class), method(group, "workerCount"));
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.info("Vert.x's acceptor internals are not the expected ones ({}): a leaving HTTP instance may lose a"
          + " connection accepted for it as it closes", e.toString());
        return null;
      }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
      Field field = type.getDeclaredField(name);
      field.setAccessible(true);
      return field;
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
      Method method = type.getDeclaredMethod(name, parameters);
      method.setAccessible(true);
      return method;
    }
  }
}
