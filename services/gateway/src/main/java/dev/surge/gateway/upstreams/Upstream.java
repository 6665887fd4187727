package dev.surge.gateway.upstreams;

import java.util.List;
import java.util.Set;

/**
 * A service behind the gateway: its replicas and how requests are spread over them. One per HTTP instance, so
 * its counters are touched only on that instance's event loop.
 */
public final class Upstream {

  private final String name;
  private final List<Replica> replicas;
  private final Balancing balancing;
  private int turn;
  private int inFlight;

  public Upstream(String name, List<String> addresses, Balancing balancing) {
    this.name = name;
    this.replicas = addresses.stream().map(Replica::new).toList();
    this.balancing = balancing;
  }

  public String name() {
    return name;
  }

  public List<Replica> replicas() {
    return replicas;
  }

  /** The next replica for a request, not one of {@code tried}; null when none is left. Counted in flight. */
  public Replica take(Set<Replica> tried) {
    Replica replica = balancing.pickAvailable(replicas, turn++, tried, System.nanoTime());
    if (replica != null) {
      replica.started();
    }
    return replica;
  }

  /** Whether a replica other than {@code failed} (which may be null) takes requests now. */
  public boolean anotherAvailable(Replica failed, long nowNanos) {
    for (Replica replica : replicas) {
      if (replica != failed && replica.available(nowNanos)) {
        return true;
      }
    }
    return false;
  }

  /** The request {@link #take} gave this replica is over. */
  public void done(Replica replica) {
    replica.ended();
  }

  /**
   * A request takes a place in the service's bulkhead: false, and no place taken, when {@code max} are in flight
   * already. Each request let in {@link #leave}s once over.
   */
  public boolean enter(int max) {
    if (inFlight >= max) {
      return false;
    }
    inFlight++;
    return true;
  }

  public void leave() {
    inFlight--;
  }
}
