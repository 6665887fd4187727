package dev.surge.http;

import io.netty.util.AsciiString;

/**
 * Content types as response header values that Netty copies into a response as bytes, their hash kept: a
 * {@code String} is hashed, checked and copied a character at a time on every response. Set them with Vert.x's own
 * names, which are the same kind: {@code putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)}.
 */
public final class MediaTypes {

  public static final CharSequence JSON = AsciiString.cached("application/json");
  public static final CharSequence TEXT = AsciiString.cached("text/plain");
  public static final CharSequence HTML = AsciiString.cached("text/html; charset=UTF-8");

  private MediaTypes() {
  }
}
