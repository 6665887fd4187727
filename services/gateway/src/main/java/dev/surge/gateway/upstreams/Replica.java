package dev.surge.gateway.upstreams;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * One replica of an upstream service as one event loop of the gateway sees it: the requests in flight to it,
 * whether its readiness check passed last time, and whether it is ejected for failing requests in a row.
 */
public final class Replica {

  private final String address;
  private final SocketAddress socket;
  private int inFlight;
  private boolean ready = true;
  private int failuresInARow;
  private long ejectedUntilNanos;
  private boolean ejected;
  private int unreachableInARow;
  private static final int UNREACHABLE_CHECKS_TO_CLOSE = 2;
  /** This event loop's open connections to it, so that a replica found unreachable can have them closed. */
  private final Set<HttpConnection> connections = Collections.newSetFromMap(new IdentityHashMap<>());

  Replica(String hostPort) {
    this.address = hostPort;
    this.socket = socketOf(hostPort);
  }

  /** A configured {@code host:port} address ({@code gateway.upstreams.*}) as a socket address. */
  public static SocketAddress socketOf(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)),
      hostPort.substring(0, colon));
  }

  public String address() {
    return address;
  }

  public SocketAddress socket() {
    return socket;
  }

  public int inFlight() {
    return inFlight;
  }

  /** Takes requests: its last readiness check passed and it is not ejected. */
  public boolean available(long nowNanos) {
    return ready && (!ejected || nowNanos - ejectedUntilNanos >= 0);
  }

  /** The last readiness check: a replica found ready again is re-admitted at once, ejected or not. */
  public void checked(boolean ready) {
    unreachableInARow = 0;
    if (ready) {
      ejected = false;
      failuresInARow = 0;
    }
    this.ready = ready;
  }

  /** What the process's readiness check ({@link ReplicaProbes}) found. */
  void found(ReplicaProbes.Outcome outcome) {
    switch (outcome) {
      case READY -> checked(true);
      case NOT_READY -> checked(false);
      case UNREACHABLE -> unreachable();
    }
  }

  /** A request it answered; ejection ends with it. */
  public void succeeded() {
    failuresInARow = 0;
    ejected = false;
  }

  /** A request it failed (unreachable, timed out, 5xx): {@code ejectAfter} in a row eject it for {@code ejectForNanos}. */
  public void failed(int ejectAfter, long ejectForNanos, long nowNanos) {
    if (++failuresInARow >= ejectAfter) {
      ejected = true;
      ejectedUntilNanos = nowNanos + ejectForNanos;
      failuresInARow = 0;
    }
  }

  /**
   * Its readiness check could not even connect (refused, timed out, the name gone): the process or its host is
   * gone, or cut off. Out of turn at once, until a check passes; and from the second such check in a row, the
   * connections this event loop keeps open to it are closed: a host that vanished sends no reset, so the requests
   * waiting on them would otherwise wait out the gateway's whole timeout, and the next requests would be queued on
   * them too. Not from the first: a check can miss its connect timeout because this event loop ran late (a host
   * short of CPU), and closing then would fail the requests of a replica that is fine.
   */
  public void unreachable() {
    ready = false;
    if (++unreachableInARow >= UNREACHABLE_CHECKS_TO_CLOSE) {
      for (HttpConnection connection : new ArrayList<>(connections)) {
        connection.close();
      }
    }
  }

  /** A connection a request to it was sent on: kept until it closes. */
  public void uses(HttpConnection connection) {
    if (connections.add(connection)) {
      connection.closeHandler(v -> connections.remove(connection));
    }
  }

  void started() {
    inFlight++;
  }

  void ended() {
    inFlight--;
  }
}
