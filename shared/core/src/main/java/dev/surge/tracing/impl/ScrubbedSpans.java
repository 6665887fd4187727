package dev.surge.tracing.impl;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.UrlAttributes;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * What leaves the process in a span is what Surge's logs would show, no more: Vert.x records a request's whole URL
 * ({@code http.url}, {@code url.query}, {@code url.full} with its query) and its raw path, and a query or a path can
 * carry what the access log never writes (a token in a query string, an id). So before export: {@code http.url}
 * and {@code url.query} are dropped, {@code url.full} loses its user info and query, and a server span that knows
 * its route ({@code http.route}) loses its raw {@code url.path}.
 */
public final class ScrubbedSpans extends RewritingExporter {

  private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");

  /** Left out of every span; of a span that knows its route, its raw path too. */
  private static final Set<AttributeKey<?>> NEVER = Set.of(HTTP_URL, UrlAttributes.URL_QUERY);
  /** The names of {@link #NEVER}: what {@link LeanTags} never records of Vert.x's tags. */
  static final Set<String> NEVER_NAMES = NEVER.stream().map(AttributeKey::getKey)
    .collect(Collectors.toUnmodifiableSet());
  private static final Set<AttributeKey<?>> NEVER_WITH_ROUTE = Set.of(HTTP_URL, UrlAttributes.URL_QUERY,
    UrlAttributes.URL_PATH);

  public ScrubbedSpans(SpanExporter exporter) {
    super(exporter);
  }

  @Override
  SpanData rewrite(SpanData span) {
    return scrubbed(span);
  }

  static SpanData scrubbed(SpanData span) {
    Attributes attributes = span.getAttributes();
    String full = attributes.get(UrlAttributes.URL_FULL);
    String bare = full == null ? null : bare(full);
    if (bare == full) { // nothing to rewrite (what LeanTags records): only keys to leave out, if any
      boolean routed = attributes.get(HttpAttributes.HTTP_ROUTE) != null;
      Attributes kept = Without.of(attributes, routed ? NEVER_WITH_ROUTE : NEVER);
      return kept == attributes ? span : withAttributes(span, kept);
    }
    AttributesBuilder kept = attributes.toBuilder().removeIf(NEVER::contains);
    kept.put(UrlAttributes.URL_FULL, bare);
    if (attributes.get(HttpAttributes.HTTP_ROUTE) != null) {
      kept.remove(UrlAttributes.URL_PATH);
    }
    return withAttributes(span, kept.build());
  }

  private static SpanData withAttributes(SpanData span, Attributes attributes) {
    return new DelegatingSpanData(span) {
      @Override
      public Attributes getAttributes() {
        return attributes;
      }
    };
  }

  /**
   * {@code url} itself when it is an absolute URL of printable ASCII with no user info, query or fragment (scheme,
   * host, port and path alone, which {@link #withoutQuery} would keep), else {@link #withoutQuery}: most URLs are
   * bare, and are not parsed. A bare URL whose host {@code java.net.URI} would not take (an underscore in it, say)
   * goes out as it is rather than without its host: it carries nothing {@link #withoutQuery} removes.
   */
  static String bare(String url) {
    int scheme = url.indexOf("://");
    if (scheme <= 0) {
      return withoutQuery(url);
    }
    int path = -1;
    for (int i = scheme + 3, n = url.length(); i < n; i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '?' || c == '#' || c == '\\' || (c == '@' && path < 0)) {
        return withoutQuery(url);
      }
      if (c == '/' && path < 0) {
        path = i;
      }
    }
    return url;
  }

  /**
   * The URL without its user info, query and fragment; what cannot be parsed is left out whole. The same string when
   * that changes nothing, so a span already scrubbed is not rewritten again.
   */
  static String withoutQuery(String url) {
    try {
      URI uri = URI.create(url);
      String scrubbed = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
        .toString();
      return scrubbed.equals(url) ? url : scrubbed;
    } catch (RuntimeException | java.net.URISyntaxException e) {
      return "";
    }
  }

  /**
   * A span's attributes without some keys, as a view. Rebuilding them instead ({@code toBuilder().remove(..).build()},
   * which copies and sorts them all) for every server span, each of which knows its route and loses its raw path,
   * took 3.5% of the process's time at {@code bench}'s {@code /json} traced at 100% (docs/BENCHMARKS.md). The
   * exporter reads a span's attributes through {@link #forEach} and {@link #size}.
   */
  private record Without(Attributes attributes, Set<AttributeKey<?>> hidden, int size) implements Attributes {

    /** {@code attributes} itself when it has none of the keys. */
    static Attributes of(Attributes attributes, Set<AttributeKey<?>> hidden) {
      int present = 0;
      for (AttributeKey<?> key : hidden) {
        if (attributes.get(key) != null) {
          present++;
        }
      }
      return present == 0 ? attributes : new Without(attributes, hidden, attributes.size() - present);
    }

    @Override
    public <T> T get(AttributeKey<T> key) {
      return hidden.contains(key) ? null : attributes.get(key);
    }

    @Override
    public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
      attributes.forEach((key, value) -> {
        if (!hidden.contains(key)) {
          consumer.accept(key, value);
        }
      });
    }

    @Override
    public boolean isEmpty() {
      return size == 0;
    }

    @Override
    public Map<AttributeKey<?>, Object> asMap() {
      Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
      forEach(map::put);
      return Collections.unmodifiableMap(map);
    }

    @Override
    @SuppressWarnings("unchecked")
    public AttributesBuilder toBuilder() {
      AttributesBuilder builder = Attributes.builder();
      forEach((key, value) -> builder.put((AttributeKey<Object>) key, value));
      return builder;
    }

    @Override
    public String toString() {
      return asMap().toString();
    }
  }
}
