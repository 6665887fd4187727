package dev.surge.gateway.proxy;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The request target a service is sent: the path the gateway routed on (Vert.x Web's normalized path: dot segments
 * resolved, {@code //} made one, unreserved characters decoded) without its {@code /api/<service>} prefix, and the
 * query as the client sent it; whatever of either may not stand in a request target percent-encoded. An encoded
 * slash ({@code %2F}) stays encoded, so it is never a path separator upstream. Written here because Vert.x has no
 * public encoder for a path or query that leaves what is already encoded alone.
 */
final class ForwardedPath {

  private static final Pattern ENCODED_DOT = Pattern.compile("%2[eE]");
  /** RFC 3986 pchar without pct-encoded, plus '/': what a path may carry as it is. */
  private static final String PATH_CHARS = "-._~!$&'()*+,;=:@/";

  private ForwardedPath() {
  }

  /**
   * True when the raw path's dot segments ({@code ..}, {@code %2e%2e}) climb back over its first two segments,
   * {@code /api/<service>}: it names one API and would be routed to another, or to none.
   */
  static boolean leavesApiPrefix(String rawPath) {
    int depth = 0;
    int start = 0;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      String segment = rawPath.substring(start, end);
      start = end + 1;
      if (segment.length() <= 6 && segment.indexOf('%') >= 0) {
        segment = ENCODED_DOT.matcher(segment).replaceAll(".");
      }
      if (segment.equals("..")) {
        if (depth <= 2) {
          return true;
        }
        depth--;
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        depth++;
      }
    }
    return false;
  }

  /** {@code /rest?query} for a routed path under {@code prefix}; {@code query} null when there was none. */
  static String of(String normalizedPath, String prefix, String query) {
    String rest = normalizedPath.substring(prefix.length());
    String path = rest.isEmpty() ? "/" : encode(rest, false);
    return query == null ? path : path + '?' + encode(query, true);
  }

  private static String encode(String s, boolean query) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean allowed = c < 0x80 && (Character.isLetterOrDigit(c) || PATH_CHARS.indexOf(c) >= 0
        || (c == '%' && hex(s, i + 1) && hex(s, i + 2)) || (query && c == '?'));
      if (allowed) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (c < 0x100) { // Netty reads a request line as ISO-8859-1: one char for each byte sent
        percent(out, c);
      } else {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          percent(out, b & 0xff);
        }
      }
    }
    return out == null ? s : out.toString();
  }

  private static boolean hex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }

  private static void percent(StringBuilder out, int b) {
    out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
      .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
  }
}
