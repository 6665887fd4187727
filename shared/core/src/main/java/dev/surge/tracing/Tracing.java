package dev.surge.tracing;

import dev.surge.arbiter.ServiceOfContext;
import dev.surge.tracing.impl.CallerContexts;
import dev.surge.tracing.impl.ExportFailures;
import dev.surge.tracing.impl.LeanTags;
import dev.surge.tracing.impl.ScrubbedSpans;
import dev.surge.tracing.impl.ServiceOfSpans;
import dev.surge.tracing.impl.SpanCounts;
import dev.surge.tracing.impl.UntracedProbes;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.semconv.ServiceAttributes;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A process's tracing: the OpenTelemetry SDK's tracer provider, sampling parent-based at
 * {@link TracingOptions#getSamplingRatio()} (probes and scrapes never), W3C Trace Context propagation, and the spans exported over OTLP/HTTP by
 * the SDK's batch processor. Spans wait in its bounded queue; a full queue drops them (counted, never waited for),
 * and the export runs on the processor's own thread with the JDK's HTTP client, so a collector slow or down never
 * holds a request. What a span exports is scrubbed of what the logs never show ({@link ScrubbedSpans}), and each
 * attribute is bounded. Vert.x reports its spans (HTTP server and client, event bus, SQL, Redis) through
 * {@link #vertxTracer()}.
 */
public final class Tracing {

  private static final AttributeKey<String> SERVICE_INSTANCE = AttributeKey.stringKey("service.instance.id");
  private static final List<SpanExporter> ALSO = new CopyOnWriteArrayList<>();
  /** The longest a stopping process waits for its last spans to go out: a dead collector must not hold a stop. */
  private static final long MAX_CLOSE_WAIT_MS = 5_000;
  /** The longest attribute value a span keeps (an SQL statement, say): a span's memory stays bounded. */
  private static final int MAX_ATTRIBUTE_LENGTH = 1024;
  private static final int MAX_EXPORT_BATCH = 4096;

  private final SdkTracerProvider provider;
  private final OpenTelemetry openTelemetry;
  private final long closeTimeoutMs;
  private final AtomicBoolean severalServices;
  private final double samplingRatio;
  /** What the process's first service does with its HTTP callers' traces, and those started beside it. */
  private final CallerTraces callerTraces;
  private final Map<String, CallerTraces> servicesCallerTraces = new ConcurrentHashMap<>();

  private Tracing(SdkTracerProvider provider, long closeTimeoutMs, AtomicBoolean severalServices,
                  TracingOptions options) {
    this.provider = provider;
    this.closeTimeoutMs = closeTimeoutMs;
    this.severalServices = severalServices;
    this.samplingRatio = options.getSamplingRatio();
    this.callerTraces = options.getCallerTraces();
    ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
    this.openTelemetry = new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return provider;
      }

      @Override
      public ContextPropagators getPropagators() {
        return propagators;
      }
    };
  }

  /** Starts the process's tracing; its spans count in {@code registry}. */
  public static Tracing start(TracingOptions options, MeterRegistry registry) {
    SpanCounts counts = new SpanCounts(registry);
    AtomicBoolean severalServices = new AtomicBoolean();
    SpanExporter otlp = OtlpHttpSpanExporter.builder()
      .setEndpoint(options.getEndpoint())
      .setTimeout(options.getExportTimeout())
      .setMeterProvider(io.opentelemetry.api.metrics.MeterProvider::noop)
      // The SDK's default (REUSABLE_DATA) reads every span's attributes (through the scrubbing view) once to size
      // a batch and again to write it; IMMUTABLE_DATA copies each span into marshalers once, on the batch thread,
      // and the HTTP client's thread writes those. Profiled here at 100% sampled: the writing thread's CPU per
      // request down by a third, the batch thread's unchanged (docs/BENCHMARKS.md).
      .setMemoryMode(MemoryMode.IMMUTABLE_DATA)
      .build();
    SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
      .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
        ServiceAttributes.SERVICE_NAME, options.getServiceName(), SERVICE_INSTANCE, UUID.randomUUID().toString()))))
      .setSampler(new UntracedProbes(sampler(options)))
      .setSpanLimits(SpanLimits.builder().setMaxAttributeValueLength(MAX_ATTRIBUTE_LENGTH).setMaxNumberOfEvents(16)
        .build())
      .addSpanProcessor(new ServiceOfSpans(severalServices::get))
      .addSpanProcessor(BatchSpanProcessor.builder(ServiceOfSpans.named(
          new ScrubbedSpans(new Counted(otlp, counts, new ExportFailures())), severalServices::get))
        .setMaxQueueSize(options.getMaxQueueSize())
        .setMaxExportBatchSize(exportBatch(options.getMaxQueueSize()))
        .setExporterTimeout(options.getExportTimeout())
        .setMeterProvider(counts)
        .setInternalTelemetryVersion(InternalTelemetryVersion.LEGACY) // the processedSpans counter SpanCounts reads
        .build());
    ALSO.forEach(exporter -> builder.addSpanProcessor(SimpleSpanProcessor.create(
      ServiceOfSpans.named(new ScrubbedSpans(exporter), severalServices::get))));
    return new Tracing(builder.build(), Math.min(MAX_CLOSE_WAIT_MS, options.getExportTimeout().toMillis()),
      severalServices, options);
  }

  /**
   * Spans per export: half the queue, so the other half takes what comes while a batch goes out, and at most 4,096
   * (about 1.5 MB of OTLP, well under a collector's default request limit). Each export is one HTTP request through
   * the JDK's client, whose cost is paid per request more than per span: {@code bench}'s {@code /json} traced at
   * 100% served 60,800 requests a second with 512 spans a batch and 67,600 with 4,096 (medians of three interleaved
   * rounds, docs/BENCHMARKS.md).
   */
  static int exportBatch(int maxQueueSize) {
    return Math.max(1, Math.min(MAX_EXPORT_BATCH, maxQueueSize / 2));
  }

  /**
   * Parent-based at the ratio: a span follows its parent, one that came with a request or a message too. Where a
   * service does not follow its HTTP callers ({@link CallerTraces}), the parent it is shown is its own decision's
   * ({@link CallerContexts}).
   */
  private static Sampler sampler(TracingOptions options) {
    return Sampler.parentBased(Sampler.traceIdRatioBased(options.getSamplingRatio()));
  }

  /**
   * For tests: every tracing started after this call also hands each span, as it ends, to {@code exporter} (the
   * SDK's in-memory one, say), until the returned handle is closed.
   */
  public static AutoCloseable alsoExportTo(SpanExporter exporter) {
    ALSO.add(exporter);
    return () -> ALSO.remove(exporter);
  }

  /**
   * Another service starts in this process and traces through it (the all-in-one): from then on each span is named
   * after the service whose verticle made it, not after the process ({@link ServiceOfSpans}), and each service
   * takes its HTTP callers' traces its own way ({@code callers}: the gateway links, the services behind it follow).
   */
  public void sharedWithAnotherService(String service, CallerTraces callers) {
    servicesCallerTraces.put(service, callers);
    severalServices.set(true);
  }

  /** What the service whose verticle runs on {@code context} does with its HTTP callers' traces. */
  private CallerTraces callerTraces(io.vertx.core.Context context) {
    if (!severalServices.get()) {
      return callerTraces;
    }
    String service = ServiceOfContext.of(context);
    CallerTraces own = service == null ? null : servicesCallerTraces.get(service);
    return own == null ? callerTraces : own;
  }

  /** The OpenTelemetry API over this process's tracing: what code that makes its own spans uses. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** What Vert.x is built with so that its HTTP, event bus and client spans are this process's. */
  public VertxTracerFactory vertxTracer() {
    OpenTelemetryTracingFactory vertx = new OpenTelemetryTracingFactory(openTelemetry);
    TextMapPropagator propagator = openTelemetry.getPropagators().getTextMapPropagator();
    return options -> new LeanTags(vertx.tracer(options), propagator, severalServices::get,
      new CallerContexts(this::callerTraces, propagator, samplingRatio));
  }

  /**
   * Exports what is still queued, for at most the export timeout or 5 s, whichever is less, and stops; blocks the
   * calling thread.
   */
  public void close() {
    provider.shutdown().join(closeTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The exporter, counting the spans of each export that fails, and saying so in the log ({@link ExportFailures}). */
  private record Counted(SpanExporter exporter, SpanCounts counts, ExportFailures failures) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = exporter.export(spans);
      int size = spans.size();
      result.whenComplete(() -> {
        if (result.isSuccess()) {
          failures.succeeded();
        } else {
          counts.exportFailed(size);
          failures.failed(size, result.getFailureThrowable());
        }
      });
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return exporter.shutdown();
    }
  }
}
