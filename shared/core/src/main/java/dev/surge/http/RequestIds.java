package dev.surge.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Keeps the caller's {@code X-Request-Id} when it is a sane token, else makes one, and echoes it on the response. */
public final class RequestIds implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "surge.requestId";
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  public RequestIds() {
  }

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && SANE.matcher(given).matches() ? given : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
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
    if (id == null) {
      id = newId();
      ctx.put(KEY, id);
      ctx.response().putHeader(HEADER, id);
    }
    return id;
  }

  /** 128 random bits as hex: unique enough, and unlike UUID.randomUUID never waits on SecureRandom. */
  public static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextLong());
  }
}
