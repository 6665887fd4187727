package dev.surge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP proxy on loopback in front of a server (the machine's PostgreSQL, say) whose connections a test can break
 * the ways a network or a dying server does: reset, closed, half-closed, new ones refused, or stalled (open but
 * carrying nothing for a while, as a server that answers late does). Blocking sockets on
 * virtual threads: test code, where plain sockets give the control (linger 0 for a reset, shutdownOutput for a
 * half-close) that a test needs.
 */
public final class TcpProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
  private volatile boolean refusing;
  /** Open while data flows; a stall replaces it with a closed one, which {@link #resume()} opens. */
  private volatile CountDownLatch flowing = new CountDownLatch(0);

  /** A client's connection and the proxy's connection to the target for it. */
  private static final class Pair {
    final Socket client;
    final Socket target;
    volatile boolean halfClosed; // left as it is by the pumps: the test resets it later

    Pair(Socket client, Socket target) {
      this.client = client;
      this.target = target;
    }

    Socket client() {
      return client;
    }

    Socket target() {
      return target;
    }
  }

  private TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("tcp-proxy-accept").start(this::accept);
  }

  public static TcpProxy start(String targetHost, int targetPort) {
    try {
      return new TcpProxy(targetHost, targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** How many connections pass through it now. */
  public int connections() {
    return pairs.size();
  }

  /** Every connection reset (RST) on both sides, as a server that dies or a firewall that drops state does. */
  public void resetAll() {
    for (Pair pair : List.copyOf(pairs)) {
      reset(pair.client());
      reset(pair.target());
      pairs.remove(pair);
    }
  }

  /** Every connection closed (FIN) on both sides, as a server that shuts down does. */
  public void closeAll() {
    for (Pair pair : List.copyOf(pairs)) {
      quietly(pair.client()::close);
      quietly(pair.target()::close);
      pairs.remove(pair);
    }
  }

  /**
   * Every connection half-closed: the client reads the end of the stream and may still write, into a connection
   * the target no longer reads; then both are reset a moment later, as {@code pg_ctl stop -m fast} ends sessions.
   */
  public void halfCloseAll() {
    List<Pair> now = List.copyOf(pairs);
    for (Pair pair : now) {
      pair.halfClosed = true;
      quietly(pair.client()::shutdownOutput);
      quietly(pair.target()::close);
    }
    Thread.ofVirtual().start(() -> {
      sleep(50);
      for (Pair pair : now) {
        reset(pair.client());
        pairs.remove(pair);
      }
    });
  }

  /** While on, new connections are reset at once, as a server that is down refuses them. */
  public void refuse(boolean on) {
    refusing = on;
  }

  /**
   * Every connection, open or opened from now on, stays open but carries nothing either way, as a network path
   * that loses every packet for a while does: to the client, a server that answers late. Until {@link #resume()}.
   */
  public void stall() {
    if (flowing.getCount() == 0) {
      flowing = new CountDownLatch(1);
    }
  }

  /**
   * The host goes away, as a killed container or a machine cut off does: nothing can connect any more, and the open
   * connections {@linkplain #stall() stall}, with no reset to tell either side. For good: {@link #resume()} does not
   * bring the listener back.
   */
  public void unplug() {
    stall();
    quietly(server::close);
  }

  /** The connections carry data again, what a stall held back first. */
  public void resume() {
    flowing.countDown();
  }

  @Override
  public void close() {
    resume();
    quietly(server::close);
    closeAll();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (refusing) {
        reset(client);
        continue;
      }
      Socket target;
      try {
        target = new Socket(targetHost, targetPort);
      } catch (IOException e) {
        reset(client);
        continue;
      }
      Pair pair = new Pair(client, target);
      pairs.add(pair);
      Thread.ofVirtual().start(() -> pump(pair, client, target));
      Thread.ofVirtual().start(() -> pump(pair, target, client));
    }
  }

  /** Copies one way until either side ends or breaks, then closes both (unless the test half-closed them). */
  private void pump(Pair pair, Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        flowing.await();
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // the other side or the test broke the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!pair.halfClosed) {
      quietly(from::close);
      quietly(to::close);
      pairs.remove(pair);
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    quietly(socket::close);
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void quietly(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      // already closed or reset
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
