package dev.surge.gateway.proxy;

import dev.surge.gateway.access.AccessOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How {@link ApiProxy} reaches the services, as {@code GatewayMain} reads it from the {@code gateway.*} keys (their
 * descriptions there).
 *
 * @param upstreams      each service served, in order, with its replicas' host:port; one without replicas is left out
 * @param balancing      round-robin or least-in-flight
 * @param timeouts       {@code timeout} for some services only
 * @param busyRetryAfter the Retry-After of a 503 upstream-busy ({@code http.retryAfter})
 */
public record ProxyOptions(Map<String, List<String>> upstreams, String balancing, Duration connectTimeout,
                           Duration keepAlive, Duration timeout, Map<String, Duration> timeouts, int breakerFailures,
                           Duration breakerOpenFor, Duration healthInterval, int ejectAfter, Duration ejectFor,
                           int connectionsPerReplica, int maxInFlightPerService, Duration poolWait,
                           Duration busyRetryAfter, AccessOptions access) {

  public ProxyOptions {
    upstreams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreams)); // in routing order
    timeouts = Map.copyOf(timeouts);
  }
}
