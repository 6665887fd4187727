package dev.surge.tracing.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.context.Context;

import java.util.function.Consumer;

/**
 * What became of the spans, as Surge's (Micrometer) meters: {@code surge_tracing_spans_exported_total}, and
 * {@code surge_tracing_spans_dropped_total} by reason, {@code queue-full} (the batch processor's queue was full: the
 * collector slow or down) or {@code export-failed} (the collector refused them or could not be reached).
 *
 * <p>Written here because the OpenTelemetry SDK tells of the spans its batch processor drops only through the
 * OpenTelemetry metrics API ({@code processedSpans{dropped=true}}), and Surge's metrics are Micrometer's: no
 * library bridges that way. This is that bridge, for that one counter; every other instrument asked for is the
 * API's no-op one.
 */
public final class SpanCounts implements MeterProvider {

  private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
  private static final String PROCESSED_SPANS = "processedSpans";

  private final Counter exported;
  private final Counter queueFull;
  private final Counter exportFailed;

  public SpanCounts(MeterRegistry registry) {
    this.exported = Counter.builder("surge_tracing_spans_exported").description("Spans handed to the exporter")
      .register(registry);
    this.queueFull = dropped(registry, "queue-full");
    this.exportFailed = dropped(registry, "export-failed");
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("surge_tracing_spans_dropped").tag("reason", reason)
      .description("Spans that did not reach the collector: queue-full (the export queue was full), export-failed "
        + "(the collector refused them or could not be reached)")
      .register(registry);
  }

  /** Counts the spans of an export that failed. */
  public void exportFailed(int spans) {
    exportFailed.increment(spans);
  }

  @Override
  public MeterBuilder meterBuilder(String instrumentationScopeName) {
    MeterBuilder noop = MeterProvider.noop().meterBuilder(instrumentationScopeName);
    return new MeterBuilder() {
      @Override
      public MeterBuilder setSchemaUrl(String schemaUrl) {
        return this;
      }

      @Override
      public MeterBuilder setInstrumentationVersion(String instrumentationVersion) {
        return this;
      }

      @Override
      public Meter build() {
        return new CountingMeter(noop.build());
      }
    };
  }

  private final class CountingMeter implements Meter {
    private final Meter noop;

    CountingMeter(Meter noop) {
      this.noop = noop;
    }

    @Override
    public LongCounterBuilder counterBuilder(String name) {
      return PROCESSED_SPANS.equals(name) ? new ProcessedSpans(noop.counterBuilder(name)) : noop.counterBuilder(name);
    }

    @Override
    public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
      return noop.upDownCounterBuilder(name);
    }

    @Override
    public DoubleHistogramBuilder histogramBuilder(String name) {
      return noop.histogramBuilder(name);
    }

    @Override
    public DoubleGaugeBuilder gaugeBuilder(String name) {
      return noop.gaugeBuilder(name);
    }
  }

  private final class ProcessedSpans implements LongCounterBuilder, LongCounter {
    private final LongCounterBuilder noop;

    ProcessedSpans(LongCounterBuilder noop) {
      this.noop = noop;
    }

    @Override
    public LongCounterBuilder setDescription(String description) {
      return this;
    }

    @Override
    public LongCounterBuilder setUnit(String unit) {
      return this;
    }

    @Override
    public DoubleCounterBuilder ofDoubles() {
      return noop.ofDoubles();
    }

    @Override
    public LongCounter build() {
      return this;
    }

    @Override
    public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
      return noop.buildWithCallback(callback);
    }

    @Override
    public void add(long value) {
      exported.increment(value);
    }

    @Override
    public void add(long value, Attributes attributes) {
      (Boolean.TRUE.equals(attributes.get(DROPPED)) ? queueFull : exported).increment(value);
    }

    @Override
    public void add(long value, Attributes attributes, Context context) {
      add(value, attributes);
    }
  }
}
