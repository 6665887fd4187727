package dev.surge.http;

import io.vertx.core.http.HttpHeaders;

/**
 * Content types as header values made once, for every response that sets them: Vert.x's optimized form (Netty's
 * {@code AsciiString}) is checked from its bytes, keeps its hash and is copied into the response as it is, where a
 * {@code String} is read a character at a time on every response (3% of a small answer's CPU went to copying
 * {@code String} headers, docs/BENCHMARKS.md). Set them with Vert.x's own header names, which are the same kind:
 * {@code putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)}.
 */
public final class MediaTypes {

  public static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  public static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain");
  public static final CharSequence HTML = HttpHeaders.createOptimized("text/html; charset=UTF-8");

  private MediaTypes() {
  }
}
