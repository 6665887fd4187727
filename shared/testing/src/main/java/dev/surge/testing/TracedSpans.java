package dev.surge.testing;

import dev.surge.tracing.Tracing;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The spans of the services a test class starts, as they end, from the SDK's in-memory exporter (besides the
 * OTLP export each service makes, to its {@code tracing.endpoint}). Register it before the services:
 * {@code @RegisterExtension @Order(1) static final TracedSpans spans = new TracedSpans();}.
 */
public final class TracedSpans implements BeforeAllCallback, AfterAllCallback {

  /** Tracing on, every trace kept, exported to a collector that is not there (nothing listens on port 9). */
  public static final Map<String, Object> TRACED = Map.of("tracing.enabled", true, "tracing.samplingRatio", 1.0,
    "tracing.endpoint", "http://127.0.0.1:9/v1/traces", "tracing.exportTimeout", "500ms");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private AutoCloseable registration;

  @Override
  public void beforeAll(ExtensionContext context) {
    registration = Tracing.alsoExportTo(exporter);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    registration.close();
  }

  public List<SpanData> all() {
    return exporter.getFinishedSpanItems();
  }

  /** The spans of one trace, in the order they ended. */
  public List<SpanData> trace(String traceId) {
    return all().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  /** The first span that matches, waiting up to 10 s for it to end. */
  public SpanData await(String what, Predicate<SpanData> matches) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (SpanData span : all()) {
        if (matches.test(span)) {
          return span;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("No span " + what + " within 10 s; spans: " + describe(all()));
  }

  /** Spans as a test failure shows them: name, kind, service, ids. */
  public static String describe(List<SpanData> spans) {
    return spans.stream().map(s -> s.getName() + " (" + s.getKind() + ", "
        + s.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"))
        + ", trace " + s.getTraceId() + ", span " + s.getSpanId() + ", parent " + s.getParentSpanId() + ", "
        + s.getAttributes() + ")")
      .collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  public void clear() {
    exporter.reset();
  }
}
