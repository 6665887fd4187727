package dev.surge.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's meter registries and the Vert.x metrics options. Labels are bounded: the route template, never
 * the raw path, the remote address or the event-bus address.
 *
 * <p>Each service of the process has a Prometheus registry of its own, tagged {@code service=<its name>} and
 * scraped by its own {@code /metrics}: the first service's also holds the JVM's and the process's meters, and
 * each other service started beside it ({@link #forService}) only its own. Vert.x records into one registry per
 * Vert.x, so its meters go to every service's registry and each keeps those of its own HTTP server (told by the
 * local port) and its own pools (told by their names); what no service owns (the event bus, the worker pool)
 * stays with the first.
 */
public final class Metrics {

  private static final String SERVICE = "service";
  private static final String LOCAL = Label.LOCAL.toString();
  private static final List<String> POOL_TAGS = List.of(Label.POOL_NAME.toString(), Label.NAMESPACE.toString());

  private final MeterRegistry registry;
  private final MeterRegistry vertxRegistry;
  private final boolean enabled;
  private final String hostService;
  /** The owner of each HTTP port and each pool: the service whose meters they are. */
  private final Map<Integer, String> ports = new ConcurrentHashMap<>();
  private final Map<String, String> pools = new ConcurrentHashMap<>();

  private Metrics(MeterRegistry registry, MeterRegistry vertxRegistry, boolean enabled, String hostService) {
    this.registry = registry;
    this.vertxRegistry = vertxRegistry;
    this.enabled = enabled;
    this.hostService = hostService;
  }

  public static Metrics create(boolean enabled, String serviceName) {
    if (!enabled) {
      // A registry with no backend: meters the code registers cost next to nothing and go nowhere.
      CompositeMeterRegistry none = new CompositeMeterRegistry();
      return new Metrics(none, none, false, serviceName);
    }
    CompositeMeterRegistry vertxRegistry = new CompositeMeterRegistry();
    Metrics metrics = new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), vertxRegistry, true,
      serviceName);
    metrics.configure((PrometheusMeterRegistry) metrics.registry, serviceName);
    new JvmMemoryMetrics().bindTo(metrics.registry);
    new JvmGcMetrics().bindTo(metrics.registry);
    new JvmThreadMetrics().bindTo(metrics.registry);
    new ClassLoaderMetrics().bindTo(metrics.registry);
    new ProcessorMetrics().bindTo(metrics.registry);
    new FileDescriptorMetrics().bindTo(metrics.registry);
    new UptimeMetrics().bindTo(metrics.registry);
    return metrics;
  }

  /**
   * The registry of a service of this process, which owns the HTTP server on {@code httpPort} (and the pools named
   * with {@link #pool}): the first service's is {@link #registry()}, another's a new one of its own.
   */
  public MeterRegistry forService(String serviceName, int httpPort) {
    ports.put(httpPort, serviceName);
    if (!enabled || serviceName.equals(hostService)) {
      return registry;
    }
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    configure(own, serviceName);
    return own;
  }

  /** A pool of the service's, such as its PostgreSQL connections: its meters go to the service's registry. */
  public void pool(String poolName, String serviceName) {
    pools.put(poolName, serviceName);
  }

  /** A service beside the first one stopped: its registry no longer gets Vert.x's meters. */
  public void release(MeterRegistry serviceRegistry) {
    if (serviceRegistry != registry) {
      ((CompositeMeterRegistry) vertxRegistry).remove(serviceRegistry);
      serviceRegistry.close();
    }
  }

  /** The first service's registry: the JVM's and the process's meters, and its own. */
  public MeterRegistry registry() {
    return registry;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The registry Vert.x records into: it hands each meter to every service's registry, which keeps its own. */
  public MeterRegistry vertxRegistry() {
    return vertxRegistry;
  }

  public MicrometerMetricsOptions vertxOptions() {
    // No Label.EB_ADDRESS: Vert.x leaves out reply addresses (__vertx.reply.*), but each job's event stream has an
    // address of its own (JobQueue.eventsAddress), and meters are never removed: one series per job, without bound.
    // No HTTP server domain: the chassis records those meters itself, each service its own (HttpMeters).
    return new MicrometerMetricsOptions()
      .setEnabled(enabled)
      .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(enabled))
      .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME,
        Label.NAMESPACE, Label.LOCAL));
  }

  private void configure(PrometheusMeterRegistry prometheus, String serviceName) {
    prometheus.config().commonTags(List.of(Tag.of(SERVICE, serviceName)));
    // A Vert.x meter is the service's whose port or pool it names, else the first service's; the local address
    // only tells which (a label per server address would say nothing a dashboard uses).
    prometheus.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (!fromVertx(id)) {
          return id;
        }
        Meter.Id mapped = id.withTag(Tag.of(SERVICE, owner(id)));
        return id.getTag(LOCAL) == null ? mapped
          : mapped.replaceTags(mapped.getTags().stream().filter(t -> !t.getKey().equals(LOCAL)).toList());
      }

      @Override
      public MeterFilterReply accept(Meter.Id id) {
        return fromVertx(id) && !serviceName.equals(id.getTag(SERVICE)) ? MeterFilterReply.DENY
          : MeterFilterReply.NEUTRAL;
      }
    });
    // Latency histograms (Prometheus buckets) for the timers a dashboard takes percentiles of, across replicas.
    prometheus.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        String name = id.getName();
        boolean latency = id.getType() == Meter.Type.TIMER
          && (name.equals(HttpMeters.RESPONSE_TIME) || name.startsWith("surge_"));
        return latency ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config) : config;
      }
    });
    ((CompositeMeterRegistry) vertxRegistry).add(prometheus);
  }

  /** A meter Vert.x records, into every service's registry; the chassis' own under Vert.x's names are not. */
  private static boolean fromVertx(Meter.Id id) {
    return id.getName().startsWith("vertx.") && !HttpMeters.NAMES.contains(id.getName());
  }

  private String owner(Meter.Id id) {
    String local = id.getTag(LOCAL);
    if (local != null) {
      try {
        String owner = ports.get(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
        if (owner != null) {
          return owner;
        }
      } catch (NumberFormatException e) {
        // not a host:port (a domain socket): nobody's own
      }
    }
    for (String tag : POOL_TAGS) {
      String owner = id.getTag(tag) == null ? null : pools.get(id.getTag(tag));
      if (owner != null) {
        return owner;
      }
    }
    return hostService;
  }
}
