package dev.surge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A service's HTTP server meters, recorded by the chassis as each answer ends, under the names Vert.x's own HTTP
 * server metrics have (which dashboards and alerts query): {@code vertx_http_server_requests_total} and
 * {@code vertx_http_server_response_time_seconds} by {@code method}, {@code code} and {@code route} (the route
 * template, never the raw path), and {@code vertx_http_server_active_connections}.
 *
 * <p>Recorded here, not by vertx-micrometer-metrics (whose HTTP server domain {@link Metrics#vertxOptions} turns
 * off): Vert.x's build each request's tags anew, merging sorted tag lists three times and looking a meter up by
 * them four times through the composite registry, 5.7% of the event loops' time at {@code bench}'s {@code /db}, and
 * record two byte-size summaries no dashboard reads. Here each (method, status, route) finds its meters in one map
 * lookup after the first. The labels are bounded: a method outside the standard ones counts as {@code OTHER} (a
 * client chooses the method, and a label per made-up method would grow without end), the route is one written in
 * code or {@code unmatched}, and the status a number below 600.
 */
public final class HttpMeters {

  /** The meters' names: chassis meters under Vert.x's names, which {@link Metrics} leaves to their service. */
  public static final String REQUESTS = "vertx.http.server.requests";
  public static final String RESPONSE_TIME = "vertx.http.server.response.time";
  public static final String CONNECTIONS = "vertx.http.server.active.connections";
  static final Set<String> NAMES = Set.of(REQUESTS, RESPONSE_TIME, CONNECTIONS);

  /** The methods of RFC 9110 and PATCH (RFC 5789); any other is labelled {@code OTHER}. */
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
    "TRACE", "PATCH");

  private record Key(String method, int status, String route) {
  }

  private record Meters(Counter requests, Timer responseTime) {
  }

  private final MeterRegistry registry;
  private final ConcurrentHashMap<Key, Meters> meters = new ConcurrentHashMap<>();
  private final LongAdder connections = new LongAdder();

  public HttpMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(CONNECTIONS, connections, LongAdder::sum)
      .description("Connections open to the service's HTTP server, over all its instances").register(registry);
  }

  /** One answer sent: its method, status and route template, and the time from its request's start. */
  public void answered(String method, int status, String route, long nanos) {
    Key key = new Key(METHODS.contains(method) ? method : "OTHER", status, route);
    Meters found = meters.get(key);
    if (found == null) {
      found = meters.computeIfAbsent(key, this::register);
    }
    found.requests.increment();
    found.responseTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void connected() {
    connections.increment();
  }

  public void disconnected() {
    connections.decrement();
  }

  private Meters register(Key key) {
    String method = key.method;
    String code = Integer.toString(key.status);
    return new Meters(
      Counter.builder(REQUESTS).description("Number of processed requests")
        .tags("method", method, "code", code, "route", key.route).register(registry),
      Timer.builder(RESPONSE_TIME).description("Request processing time")
        .tags("method", method, "code", code, "route", key.route).register(registry));
  }
}
