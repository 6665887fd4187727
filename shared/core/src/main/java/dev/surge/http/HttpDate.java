package dev.surge.http;

import io.vertx.core.http.HttpHeaders;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header's value (RFC 9110 §5.6.7, IMF-fixdate: {@code Fri, 04 Dec 2026 12:20:28 GMT}), formatted
 * once per second rather than per response. {@link DateTimeFormatter#RFC_1123_DATE_TIME} will not do: it prints a
 * one-digit day ({@code 4 Dec}), which IMF-fixdate does not allow.
 */
public final class HttpDate {

  private static final DateTimeFormatter IMF_FIXDATE =
    DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  /** The second last formatted and its text, as a header value made once ({@link MediaTypes} says why). */
  private record Stamp(long epochSecond, CharSequence header) {
  }

  private static volatile Stamp last = new Stamp(Long.MIN_VALUE, "");

  private HttpDate() {
  }

  /** Now, as IMF-fixdate: formatted again only when the second has changed since the last call. */
  public static String now() {
    return stamp().header().toString();
  }

  /** {@link #now()} as a response header's value: what the chassis sets on every response. */
  public static CharSequence header() {
    return stamp().header();
  }

  private static Stamp stamp() {
    long second = Math.floorDiv(System.currentTimeMillis(), 1000L);
    Stamp stamp = last;
    if (stamp.epochSecond() != second) {
      stamp = new Stamp(second, HttpHeaders.createOptimized(format(Instant.ofEpochSecond(second))));
      last = stamp; // a race only formats the same second twice
    }
    return stamp;
  }

  /** The instant, to the second, as IMF-fixdate. */
  public static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }
}
