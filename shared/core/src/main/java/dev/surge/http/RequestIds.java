package dev.surge.http;

import io.netty.util.AsciiString;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Keeps the caller's {@code X-Request-Id} when it is a sane token, else makes one, and echoes it on the response. */
public final class RequestIds implements Handler<RoutingContext>, RequestStep {

  public static final String HEADER = "X-Request-Id";
  /** {@link #HEADER} as a header name made once ({@link MediaTypes} says why). */
  private static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
  private static final String KEY = "surge.requestId";
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  public RequestIds() {
  }

  @Override
  public void handle(RoutingContext ctx) {
    pass(ctx);
    ctx.next();
  }

  @Override
  public boolean pass(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER_NAME);
    if (given != null && SANE.matcher(given).matches()) {
      ctx.put(KEY, given);
      ctx.response().putHeader(HEADER_NAME, given);
    } else {
      assign(ctx);
    }
    return true;
  }

  public static String get(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /**
   * The request's id, made now and echoed when Vert.x Web answers before this handler ran (an error handler for a
   * request target it cannot route, say).
   */
  static String getOrAssign(RoutingContext ctx) {
    String id = get(ctx);
    return id != null ? id : assign(ctx);
  }

  /**
   * Makes the request an id, keeps it for the logs and echoes it: the header's value and the kept text made from the
   * same bytes, the header's as bytes Netty copies as they are.
   */
  private static String assign(RoutingContext ctx) {
    byte[] bytes = newIdBytes();
    String id = new String(bytes, StandardCharsets.ISO_8859_1);
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER_NAME, new AsciiString(bytes, false));
    return id;
  }

  /** 128 random bits as hex: unique enough, and unlike UUID.randomUUID never waits on SecureRandom. */
  public static String newId() {
    return new String(newIdBytes(), StandardCharsets.ISO_8859_1);
  }

  /** {@link #newId()} as its 32 ASCII bytes (HexFormat makes a String, which the header would copy back to bytes). */
  private static byte[] newIdBytes() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] hex = new byte[32];
    for (int half = 0; half < 2; half++) {
      long bits = random.nextLong();
      for (int i = 15; i >= 0; i--, bits >>>= 4) {
        hex[half * 16 + i] = HEX_DIGITS[(int) (bits & 0xf)];
      }
    }
    return hex;
  }
}
