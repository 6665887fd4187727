package dev.surge.gateway.upstreams;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replicas' readiness checks, once per process. Each HTTP instance of the gateway keeps its own {@link Replica}s,
 * touched only on its event loop; when each instance checked every replica itself, N instances sent each replica N
 * checks an interval (the admin API's 1,024 instances: some 650 a second to every replica). Here one timer, on an
 * event-loop context of its own that outlives any instance, checks each address once an interval
 * ({@code GET /health/ready} on a new connection: whether the replica's host still accepts one is the point) and
 * hands what it found to every instance watching that address, on the instance's own event loop. Nothing here is
 * per request; Vert.x's HTTP client has no shared-probe feature to use instead. The checks run on Vert.x's acceptor
 * event loop, so that an event loop blocked by a request's handler holds no instance's checks but its own.
 */
public final class ReplicaProbes {

  /** What one check found. */
  public enum Outcome {
    /** A 2xx in time. */
    READY,
    /** Connected, but answered something else, or not in time. */
    NOT_READY,
    /** Could not connect at all: refused, timed out, or the name no longer resolving. */
    UNREACHABLE
  }

  /** How long a check may take once connected. */
  static final long READINESS_TIMEOUT_MS = 2000;
  /** Exceptions of a connect that did not happen. */
  private static final Set<Class<? extends Throwable>> UNREACHABLE = Set.of(java.net.ConnectException.class,
    java.net.UnknownHostException.class, java.net.NoRouteToHostException.class);

  /** The process's checkers, one per Vert.x and timing (a gateway's; tests run several in one JVM). */
  private static final Map<Key, ReplicaProbes> PROCESS = new HashMap<>();

  private record Key(Vertx vertx, long intervalMs, long connectTimeoutMs) {
  }

  /** One instance's replica at one address. */
  private record Watcher(Context context, Replica replica) {
  }

  private final Key key;
  private final ContextInternal context;
  /** By address, the watchers and the socket to check; guarded by {@code PROCESS}. */
  private final Map<String, List<Watcher>> watchers = new LinkedHashMap<>();
  private HttpClient client;
  private long timer = -1;
  private boolean stopped;

  private ReplicaProbes(Key key) {
    this.key = key;
    // Not the first watcher's context: its instance may be undeployed (a restart, a scale-down) while others still
    // watch, and Vert.x would cancel the timer and close the client with it. Nor any event loop that runs requests:
    // one of them blocked would hold every instance's checks (the blocked-loop watchdog moves the instances off such
    // a loop, not this). Vert.x's acceptor loop runs no handler of anyone's, only accepts; a few checks a second on it
    // cost nothing.
    VertxInternal vertx = (VertxInternal) key.vertx();
    this.context = vertx.contextBuilder().withEventLoop(vertx.acceptorEventLoopGroup().next()).build();
    context.runOnContext(v -> {
      synchronized (PROCESS) {
        if (stopped) {
          return;
        }
        // A connect on a LAN takes well under a millisecond, and a busy process's kernel still accepts it: one that
        // has not connected by the next check's time will not.
        client = key.vertx().createHttpClient(new HttpClientOptions().setKeepAlive(false)
          .setConnectTimeout((int) Math.min(key.intervalMs(), key.connectTimeoutMs())));
        timer = key.vertx().setPeriodic(key.intervalMs(), key.intervalMs(), id -> checkAll());
      }
    });
  }

  /**
   * Has {@code replicas} (an HTTP instance's, running on {@code context}) told what each check of their addresses
   * finds, every {@code interval}, until the returned action is run (as the instance's context closes).
   */
  public static Runnable watch(Vertx vertx, Duration interval, Duration connectTimeout, Context context,
                                    Collection<Replica> replicas) {
    Key key = new Key(vertx, interval.toMillis(), connectTimeout.toMillis());
    List<Watcher> mine = replicas.stream().map(replica -> new Watcher(context, replica)).toList();
    synchronized (PROCESS) {
      ReplicaProbes probes = PROCESS.computeIfAbsent(key, ReplicaProbes::new);
      mine.forEach(w -> probes.watchers.computeIfAbsent(w.replica().address(), a -> new ArrayList<>()).add(w));
      return () -> probes.unwatch(mine);
    }
  }

  private void unwatch(List<Watcher> mine) {
    synchronized (PROCESS) {
      for (Watcher watcher : mine) {
        List<Watcher> list = watchers.get(watcher.replica().address());
        if (list != null) {
          list.remove(watcher);
          if (list.isEmpty()) {
            watchers.remove(watcher.replica().address());
          }
        }
      }
      if (watchers.isEmpty() && PROCESS.get(key) == this) {
        PROCESS.remove(key);
        stopped = true;
        // On the checks' own context, between two of its tasks: closed from the stopping instance's thread, the
        // client was closed under a check the timer had started ("Client is closed", unhandled, at every stop).
        context.runOnContext(v -> {
          if (timer >= 0) {
            key.vertx().cancelTimer(timer);
          }
          if (client != null) {
            client.close();
          }
        });
      }
    }
  }

  /** On this checker's context: one check per address watched. */
  private void checkAll() {
    Map<String, SocketAddress> addresses = new LinkedHashMap<>();
    synchronized (PROCESS) {
      if (stopped) { // a tick already due as the last watcher left: the client is closing
        return;
      }
      watchers.forEach((address, list) -> addresses.put(address, list.getFirst().replica().socket()));
    }
    addresses.forEach(this::check);
  }

  private void check(String address, SocketAddress socket) {
    client.request(new RequestOptions().setServer(socket).setHost(socket.host()).setPort(socket.port())
        .setURI("/health/ready").setTimeout(READINESS_TIMEOUT_MS))
      .compose(request -> request.send())
      .compose(response -> response.end().map(v -> response.statusCode() / 100 == 2))
      .onComplete(checked -> tell(address, checked.succeeded()
        ? checked.result() ? Outcome.READY : Outcome.NOT_READY
        : UNREACHABLE.stream().anyMatch(type -> type.isInstance(checked.cause())) ? Outcome.UNREACHABLE
        : Outcome.NOT_READY));
  }

  private void tell(String address, Outcome outcome) {
    List<Watcher> told;
    synchronized (PROCESS) {
      told = new ArrayList<>(watchers.getOrDefault(address, List.of()));
    }
    for (Watcher watcher : told) {
      watcher.context().runOnContext(v -> watcher.replica().found(outcome));
    }
  }
}
