package dev.surge.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server that trusts being reached on loopback (no key, no token) refuses of a browser on the same machine,
 * which any web page can make send requests: a {@code Host} that is not loopback (a page's own name rebound to
 * 127.0.0.1: DNS rebinding), and a change (not GET, HEAD or OPTIONS) carrying an {@code Origin} other than the
 * server's own (loopback at the port the request was sent to) or {@code Sec-Fetch-Site: cross-site} (a form or a
 * no-cors fetch from another site: CSRF).
 */
public final class LoopbackBrowsers {

  /** A Host header naming loopback, with or without a port. */
  private static final Pattern LOOPBACK_HOST = Pattern.compile("(?i)(localhost|127(\\.\\d{1,3}){3}|\\[::1])(:\\d{1,5})?");
  /** An Origin naming loopback: what a page served from this machine's loopback sends. */
  private static final Pattern LOOPBACK_ORIGIN = Pattern.compile(
    "(?i)https?://(localhost|127(\\.\\d{1,3}){3}|\\[::1])(:\\d{1,5})?");
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private LoopbackBrowsers() {
  }

  /** Whether the request names a loopback host ({@code localhost}, {@code 127.x.y.z}, {@code [::1]}). */
  public static boolean loopbackHost(HttpServerRequest request) {
    String host = request.getHeader(HttpHeaders.HOST);
    return host != null && LOOPBACK_HOST.matcher(host).matches();
  }

  /** Whether the request is a change a page from another site sent through the browser. */
  public static boolean crossSiteChange(HttpServerRequest request) {
    if (SAFE.contains(request.method())) {
      return false;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    String host = request.getHeader(HttpHeaders.HOST);
    return origin != null && !ownOrigin(origin, host == null ? "" : host)
      || "cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"));
  }

  /**
   * Whether a browser's {@code Origin} is the server's own: loopback at the port the request was sent to. Another
   * page on this machine (Grafana on localhost:3000, a development server) is another origin.
   */
  private static boolean ownOrigin(String origin, String host) {
    Matcher o = LOOPBACK_ORIGIN.matcher(origin);
    Matcher h = LOOPBACK_HOST.matcher(host);
    return o.matches() && h.matches() && Objects.equals(o.group(3), h.group(3));
  }
}
