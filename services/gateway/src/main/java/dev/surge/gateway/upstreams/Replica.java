package dev.surge.gateway.upstreams;

import io.vertx.core.net.SocketAddress;

/** One replica of an upstream service, with the requests the gateway has in flight to it from this event loop. */
public final class Replica {

  private final String address;
  private final SocketAddress socket;
  private int inFlight;

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

  void started() {
    inFlight++;
  }

  void ended() {
    inFlight--;
  }
}
