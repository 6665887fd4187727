package dev.surge.gateway.upstreams;

import java.util.List;
import java.util.Set;

/** How a request picks among an upstream's replicas, skipping those it already tried. */
public enum Balancing {

  /** Each in turn. */
  ROUND_ROBIN {
    @Override
    Replica pick(List<Replica> replicas, int turn, Set<Replica> tried) {
      for (int i = 0; i < replicas.size(); i++) {
        Replica candidate = replicas.get(Math.floorMod(turn + i, replicas.size()));
        if (!tried.contains(candidate)) {
          return candidate;
        }
      }
      return null;
    }
  },

  /** The one with the fewest requests in flight from this event loop; ties go in turn. */
  LEAST_IN_FLIGHT {
    @Override
    Replica pick(List<Replica> replicas, int turn, Set<Replica> tried) {
      Replica best = null;
      for (int i = 0; i < replicas.size(); i++) {
        Replica candidate = replicas.get(Math.floorMod(turn + i, replicas.size()));
        if (!tried.contains(candidate) && (best == null || candidate.inFlight() < best.inFlight())) {
          best = candidate;
        }
      }
      return best;
    }
  };

  abstract Replica pick(List<Replica> replicas, int turn, Set<Replica> tried);

  /**
   * Among the available replicas (ready, not ejected); when none is, among all of them, since trying one that may
   * have recovered beats refusing every request.
   */
  Replica pickAvailable(List<Replica> replicas, int turn, Set<Replica> tried, long nowNanos) {
    List<Replica> available = replicas.stream().filter(r -> r.available(nowNanos)).toList();
    Replica pick = available.isEmpty() ? null : pick(available, turn, tried);
    return pick != null ? pick : pick(replicas, turn, tried);
  }

  public static Balancing named(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
