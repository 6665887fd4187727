package dev.surge.http;

import io.netty.util.AsciiString;

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

  /**
   * The second last formatted, its text, and the same as the header value Netty copies into a response as bytes
   * (a {@code String} is copied a character at a time, and hashed and checked the same way, on every response),
   * swapped as one so that every thread reads a matching set.
   */
  private record Stamp(long epochSecond, String text, AsciiString header) {
  }

  private static volatile Stamp last = new Stamp(Long.MIN_VALUE, "", AsciiString.EMPTY_STRING);

  private HttpDate() {
  }

  /** Now, as IMF-fixdate: formatted again only when the second has changed since the last call. */
  public static String now() {
    return stamp().text();
  }

  /** {@link #now()} as a response header's value: what the chassis sets on every response. */
  public static CharSequence header() {
    return stamp().header();
  }

  private static Stamp stamp() {
    long second = Math.floorDiv(System.currentTimeMillis(), 1000L);
    Stamp stamp = last;
    if (stamp.epochSecond() != second) {
      String text = format(Instant.ofEpochSecond(second));
      stamp = new Stamp(second, text, new AsciiString(text));
      last = stamp; // a race only formats the same second twice
    }
    return stamp;
  }

  /** The instant, to the second, as IMF-fixdate. */
  public static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }
}
