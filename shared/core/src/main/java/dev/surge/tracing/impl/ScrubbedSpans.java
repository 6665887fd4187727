package dev.surge.tracing.impl;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.net.URI;

/**
 * What leaves the process in a span is what Surge's logs would show, no more: Vert.x records a request's whole URL
 * ({@code http.url}, {@code url.query}, {@code url.full} with its query) and its raw path, and a query or a path can
 * carry what the access log never writes (a token in a query string, an id). So before export: {@code http.url}
 * and {@code url.query} are dropped, {@code url.full} loses its user info and query, and a server span that knows
 * its route ({@code http.route}) loses its raw {@code url.path}.
 */
public final class ScrubbedSpans extends RewritingExporter {

  private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");
  private static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

  public ScrubbedSpans(SpanExporter exporter) {
    super(exporter);
  }

  @Override
  SpanData rewrite(SpanData span) {
    return scrubbed(span);
  }

  static SpanData scrubbed(SpanData span) {
    Attributes attributes = span.getAttributes();
    if (attributes.get(HTTP_URL) == null && attributes.get(URL_QUERY) == null && attributes.get(URL_FULL) == null
      && (attributes.get(URL_PATH) == null || attributes.get(ROUTE) == null)) {
      return span;
    }
    AttributesBuilder kept = attributes.toBuilder().remove(HTTP_URL).remove(URL_QUERY);
    String full = attributes.get(URL_FULL);
    if (full != null) {
      kept.put(URL_FULL, withoutQuery(full));
    }
    if (attributes.get(ROUTE) != null) {
      kept.remove(URL_PATH);
    }
    Attributes scrubbed = kept.build();
    return new DelegatingSpanData(span) {
      @Override
      public Attributes getAttributes() {
        return scrubbed;
      }
    };
  }

  /** The URL without its user info, query and fragment; what cannot be parsed is left out whole. */
  static String withoutQuery(String url) {
    try {
      URI uri = URI.create(url);
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
    } catch (RuntimeException | java.net.URISyntaxException e) {
      return "";
    }
  }

}
