package dev.surge.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** Small pieces every REST route needs: ids from the path, opaque keyset cursors, and whether to answer at all. */
public final class Requests {

  private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");
  /** Where the chassis keeps a request's deadline ({@link #deadlineNanos}). */
  static final String DEADLINE = "surge.deadlineNanos";

  private Requests() {
  }

  /** The path parameter as a positive integer id, or a 400 problem naming it ({@code what}: "product", "job"). */
  public static long positiveId(RoutingContext ctx, String param, String what) {
    String raw = ctx.pathParam(param);
    if (raw == null || !ID.matcher(raw).matches()) {
      throw Problem.validation().detail("The " + what + " id must be a positive integer")
        .fieldError(param, "must be a positive integer").asException();
    }
    return Long.parseLong(raw);
  }

  /** False when the request already got its answer (it timed out, say) or its client left. */
  public static boolean writable(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    return !response.ended() && !response.closed();
  }

  /**
   * When the chassis answers this request 503 {@code request-timeout} if nothing has ({@code http.requestTimeout}
   * after it came in), on {@link System#nanoTime()}'s clock; {@link Long#MAX_VALUE} on a streaming path, which has
   * none. A route whose work may still take effect after such an answer answers before it, knowing what it did.
   */
  public static long deadlineNanos(RoutingContext ctx) {
    Long deadline = ctx.get(DEADLINE);
    return deadline == null ? Long.MAX_VALUE : deadline;
  }

  /**
   * The {@code limit} query parameter: {@code defaultLimit} when absent, else an integer from 1 to {@code max};
   * anything else is a field error on {@code errors}.
   */
  public static int limit(RoutingContext ctx, JsonInput errors, int defaultLimit, int max) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null || raw.isEmpty()) {
      return defaultLimit;
    }
    int limit = LIMIT.matcher(raw).matches() ? Integer.parseInt(raw) : -1;
    errors.error("limit", "must be an integer from 1 to " + max, limit < 1 || limit > max);
    return limit;
  }

  /**
   * The id in the {@code cursor} query parameter (made by {@link #encodeCursor} with {@code prefix}), null when
   * absent; a cursor this API did not give out is a field error on {@code errors}.
   */
  public static Long cursor(RoutingContext ctx, JsonInput errors, String prefix) {
    String raw = ctx.queryParams().get("cursor");
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    Long id = decodeCursor(raw, prefix);
    errors.error("cursor", "is not a cursor this API gave out", id == null);
    return id;
  }

  /** An opaque cursor for keyset paging: {@code prefix} and the id, base64url without padding. */
  public static String encodeCursor(String prefix, long id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((prefix + id).getBytes(StandardCharsets.UTF_8));
  }

  /** The id in a cursor {@link #encodeCursor} made with {@code prefix}, or null when it is not such a cursor. */
  public static Long decodeCursor(String raw, String prefix) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
      if (decoded.startsWith(prefix) && ID.matcher(decoded.substring(prefix.length())).matches()) {
        return Long.parseLong(decoded.substring(prefix.length()));
      }
    } catch (IllegalArgumentException e) {
      // not base64
    }
    return null;
  }
}
