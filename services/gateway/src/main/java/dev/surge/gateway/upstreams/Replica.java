package dev.surge.gateway.upstreams;

import io.vertx.core.net.SocketAddress;

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

  Replica(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    this.address = hostPort;
    this.socket = SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)),
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

  public boolean ready() {
    return ready;
  }

  /** The last readiness check: a replica found ready again is re-admitted at once, ejected or not. */
  public void checked(boolean ready) {
    if (ready) {
      ejected = false;
      failuresInARow = 0;
    }
    this.ready = ready;
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

  void started() {
    inFlight++;
  }

  void ended() {
    inFlight--;
  }
}
