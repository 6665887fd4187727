package dev.surge.tracing.impl;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;

/**
 * An exporter that hands each span on to another, rewritten: what {@link ScrubbedSpans} and
 * {@link ServiceOfSpans#named} share. The SDK offers none to build on (only {@code SpanExporter.composite}, which
 * hands every span to each of several).
 */
abstract class RewritingExporter implements SpanExporter {

  private final SpanExporter exporter;

  RewritingExporter(SpanExporter exporter) {
    this.exporter = exporter;
  }

  /** The span as it goes on: itself, or a view of it. */
  abstract SpanData rewrite(SpanData span);

  @Override
  public final CompletableResultCode export(Collection<SpanData> spans) {
    return exporter.export(spans.stream().map(this::rewrite).toList());
  }

  @Override
  public final CompletableResultCode flush() {
    return exporter.flush();
  }

  @Override
  public final CompletableResultCode shutdown() {
    return exporter.shutdown();
  }
}
