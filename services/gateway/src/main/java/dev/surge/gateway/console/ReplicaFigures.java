package dev.surge.gateway.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the console shows of one replica, read from its {@code /metrics}: running totals and gauges as they stand
 * (requests, latency buckets, the overload figures, the instances, orders by outcome and pending, jobs by
 * queue)
 * (the page takes rates and percentiles from the difference between two readings). Requests to the probes and to
 * {@code /metrics} itself (the gateway's own, every second) are left out of the request figures.
 */
final class ReplicaFigures {

  private static final String REQUESTS = "vertx_http_server_requests_total";
  private static final String LATENCY = "vertx_http_server_response_time_seconds_bucket";
  private static final Set<String> NAMES = Set.of(REQUESTS, LATENCY, "surge_http_inflight", "surge_http_queued",
    "surge_http_shed_total", "surge_eventloop_lag_seconds_max", "vertx_pool_in_use", "vertx_pool_queue_pending",
    "surge_blocked_threads_now", "surge_instances", "surge_orders_total", "surge_orders_pending", "surge_cluster_members",
    "surge_jobs_completed_total", "surge_jobs_failed_total");
  private static final Set<String> NOT_REQUESTS = Set.of("/health/ready", "/health/live", "/metrics",
    "/openapi.json");

  /** The most instances groups, order outcomes and job queues told of one replica. */
  static final int MAX_ENTRIES = 100;

  private ReplicaFigures() {
  }

  static JsonObject of(String metrics) {
    double[] totals = new double[9]; // requests, 5xx, in flight, queued, shed, lag, pool in use, pool waiting, blocked
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Map<String, JsonObject> instances = new TreeMap<>();
    JsonObject orders = new JsonObject();
    JsonObject cluster = new JsonObject();
    double[] pending = {Double.NaN}; // the service's whole count (each replica reads the same), NaN: not counted
    Map<String, JsonObject> jobs = new TreeMap<>(); // queue -> completed, failed
    MetricsText.samples(metrics, NAMES, s -> {
      boolean request = !NOT_REQUESTS.contains(s.label("route"));
      switch (s.name()) {
        case REQUESTS -> {
          if (request) {
            totals[0] += s.value();
            totals[1] += s.label("code").startsWith("5") ? s.value() : 0;
          }
        }
        case LATENCY -> {
          if (request) {
            double le = "+Inf".equals(s.label("le")) ? Double.POSITIVE_INFINITY : Double.parseDouble(s.label("le"));
            buckets.merge(le, s.value(), Double::sum);
          }
        }
        case "surge_http_inflight" -> totals[2] += s.value();
        case "surge_http_queued" -> totals[3] += s.value();
        case "surge_http_shed_total" -> totals[4] += s.value();
        case "surge_eventloop_lag_seconds_max" -> totals[5] = Math.max(totals[5], s.value());
        case "vertx_pool_in_use" -> totals[6] += "sql".equals(s.label("pool_type")) ? s.value() : 0;
        case "vertx_pool_queue_pending" -> totals[7] += "sql".equals(s.label("pool_type")) ? s.value() : 0;
        case "surge_blocked_threads_now" -> totals[8] += s.value();
        case "surge_instances" -> {
          if (instances.size() < MAX_ENTRIES || instances.containsKey(s.label("verticle"))) {
            instances.computeIfAbsent(s.label("verticle"), v -> new JsonObject()).put(s.label("state"), (long) s.value());
          }
        }
        case "surge_orders_total" -> {
          if (orders.size() < MAX_ENTRIES) {
            orders.put(s.label("outcome"), (long) s.value());
          }
        }
        case "surge_orders_pending" -> pending[0] = s.value();
        case "surge_cluster_members" -> cluster.put("members", (long) s.value());
        case "surge_jobs_completed_total", "surge_jobs_failed_total" -> {
          if (jobs.size() >= MAX_ENTRIES && !jobs.containsKey(s.label("queue"))) {
            return;
          }
          JsonObject queue = jobs.computeIfAbsent(s.label("queue"), q -> new JsonObject().put("completed", 0L)
            .put("failed", 0L));
          String key = s.name().equals("surge_jobs_completed_total") ? "completed" : "failed";
          queue.put(key, queue.getLong(key) + (long) s.value());
        }
        default -> { }
      }
    });
    JsonArray le = new JsonArray();
    JsonArray counts = new JsonArray();
    buckets.forEach((bound, count) -> {
      le.add(bound.isInfinite() ? "+Inf" : bound);
      counts.add(count.longValue());
    });
    JsonObject figures = new JsonObject()
      .put("requests", (long) totals[0]).put("serverErrors", (long) totals[1])
      .put("inFlight", (long) totals[2]).put("queued", (long) totals[3]).put("shed", (long) totals[4])
      .put("eventLoopLagSeconds", totals[5]).put("poolInUse", (long) totals[6]).put("poolWaiting", (long) totals[7])
      .put("blockedThreads", (long) totals[8])
      .put("latency", new JsonObject().put("le", le).put("counts", counts))
      .put("instances", new JsonObject(new TreeMap<>(instances)));
    if (!orders.isEmpty()) {
      figures.put("orders", orders);
    }
    if (!Double.isNaN(pending[0])) {
      figures.put("pendingOrders", (long) pending[0]);
    }
    if (!jobs.isEmpty()) {
      figures.put("jobs", new JsonObject(new TreeMap<>(jobs)));
    }
    if (!cluster.isEmpty()) {
      figures.put("clusterMembers", cluster.getLong("members"));
    }
    return figures;
  }
}
