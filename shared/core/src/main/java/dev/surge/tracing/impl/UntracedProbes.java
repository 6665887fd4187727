package dev.surge.tracing.impl;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.opentelemetry.semconv.UrlAttributes;

import java.util.List;
import java.util.Set;

/**
 * Keeps the probes and scrapes out of the traces: a request to {@code /health/live}, {@code /health/ready} or
 * {@code /metrics} (the gateway and the orchestrator ask every second, Prometheus every few) starts no trace, and
 * the checks it makes (a {@code SELECT 1}, a Redis {@code PING}) none either, their parent being unsampled. Every
 * other span is {@code delegate}'s to sample.
 */
public final class UntracedProbes implements Sampler {

  private static final Set<String> PROBES = Set.of("/health/live", "/health/ready", "/metrics");

  private final Sampler delegate;

  public UntracedProbes(Sampler delegate) {
    this.delegate = delegate;
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                     Attributes attributes, List<LinkData> parentLinks) {
    // An event bus message has no path.
    String path = spanKind == SpanKind.SERVER ? attributes.get(UrlAttributes.URL_PATH) : null;
    if (isProbe(path)) {
      return SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  /** Whether a request to {@code path} is a probe or a scrape: what this sampler drops by its {@code url.path}. */
  public static boolean isProbe(String path) {
    return path != null && PROBES.contains(path); // null: an HTTP/2 CONNECT has no path
  }

  @Override
  public String getDescription() {
    return "UntracedProbes{" + delegate.getDescription() + "}";
  }
}
