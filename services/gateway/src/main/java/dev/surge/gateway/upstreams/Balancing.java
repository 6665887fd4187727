package dev.surge.gateway.upstreams;

import java.util.List;
import java.util.Set;

/** How a request picks among an upstream's replicas, skipping those it already tried. */
public enum Balancing {

  /** Each in turn. */
  ROUND_ROBIN {
    @Override
    Replica pick(List<Replica> replicas, int turn, Set<Replica> tried, boolean onlyAvailable, long nowNanos) {
      int eligible = count(replicas, onlyAvailable, nowNanos);
      int skip = eligible == 0 ? 0 : Math.floorMod(turn, eligible);
      Replica wrapped = null; // the first untried one before the turn's place, should none come after it
      for (Replica candidate : replicas) {
        if (onlyAvailable && !candidate.available(nowNanos)) {
          continue;
        }
        boolean beforeTurn = skip-- > 0;
        if (tried.contains(candidate)) {
          continue;
        }
        if (!beforeTurn) {
          return candidate;
        }
        if (wrapped == null) {
          wrapped = candidate;
        }
      }
      return wrapped;
    }
  },

  /** The one with the fewest requests in flight from this event loop; ties go in turn. */
  LEAST_IN_FLIGHT {
    @Override
    Replica pick(List<Replica> replicas, int turn, Set<Replica> tried, boolean onlyAvailable, long nowNanos) {
      Replica best = null;
      for (int i = 0; i < replicas.size(); i++) {
        Replica candidate = replicas.get(Math.floorMod(turn + i, replicas.size()));
        if ((!onlyAvailable || candidate.available(nowNanos)) && !tried.contains(candidate)
          && (best == null || candidate.inFlight() < best.inFlight())) {
          best = candidate;
        }
      }
      return best;
    }
  };

  /** Picks among the replicas not yet tried, and with {@code onlyAvailable} among the available ones only. */
  abstract Replica pick(List<Replica> replicas, int turn, Set<Replica> tried, boolean onlyAvailable, long nowNanos);

  /**
   * Among the available replicas (ready, not ejected); when none is, among all of them, since trying one that may
   * have recovered beats refusing every request. Allocates nothing: it runs for every request.
   */
  Replica pickAvailable(List<Replica> replicas, int turn, Set<Replica> tried, long nowNanos) {
    Replica pick = pick(replicas, turn, tried, true, nowNanos);
    return pick != null ? pick : pick(replicas, turn, tried, false, nowNanos);
  }

  private static int count(List<Replica> replicas, boolean onlyAvailable, long nowNanos) {
    if (!onlyAvailable) {
      return replicas.size();
    }
    int available = 0;
    for (Replica replica : replicas) {
      if (replica.available(nowNanos)) {
        available++;
      }
    }
    return available;
  }

  public static Balancing named(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
