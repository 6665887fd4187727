package dev.surge.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
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
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.EnumSet;
import java.util.List;

/**
 * The process's meter registry and the Vert.x metrics options. Labels are bounded: the route template, never
 * the raw path, the remote address or the event-bus address.
 */
public final class Metrics {

  private final MeterRegistry registry;
  private final boolean enabled;

  private Metrics(MeterRegistry registry, boolean enabled) {
    this.registry = registry;
    this.enabled = enabled;
  }

  public static Metrics create(boolean enabled, String serviceName) {
    if (!enabled) {
      // A registry with no backend: meters the code registers cost next to nothing and go nowhere.
      return new Metrics(new CompositeMeterRegistry(), false);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags(List.of(Tag.of("service", serviceName)));
    // Latency histograms (Prometheus buckets) for the timers a dashboard takes percentiles of, across replicas.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        String name = id.getName();
        boolean latency = id.getType() == Meter.Type.TIMER
          && (name.equals("vertx.http.server.response.time") || name.startsWith("surge_"));
        return latency ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config) : config;
      }
    });
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new Metrics(registry, true);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public boolean enabled() {
    return enabled;
  }

  public MicrometerMetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
      .setEnabled(enabled)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(enabled))
      .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME,
        Label.NAMESPACE));
  }
}
