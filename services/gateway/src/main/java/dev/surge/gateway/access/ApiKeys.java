package dev.surge.gateway.access;

import dev.surge.http.ClientAddresses;
import dev.surge.http.LoopbackBrowsers;
import dev.surge.http.Problem;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * API keys: POST, PATCH, PUT and DELETE (and reads too when {@code gateway.readsNeedKey}) need
 * {@code Authorization: Bearer <key>}, a key whose SHA-256 is configured (the keys themselves never are). Compared in constant time. A key
 * that is sent is checked, on a read too, and unknown keys count against the client's address ({@link KeyAttempts}):
 * a client that guessed too often gets 429. With no key configured, writes are taken from clients on this machine
 * only ({@link ClientAddresses#local}), so a fresh all-in-one process works on its own machine and nothing is open
 * to the network by accident; and, since any web page can make this machine's browser send requests, a write must
 * name a loopback host and come from no other site ({@link LoopbackBrowsers}: DNS rebinding, CSRF).
 *
 * <p>A key of the gateway's other kind (an operator key sent to an API, or an API key to the operators' routes) is
 * no guess: the console sends its one key with every call. It passes where no key is needed, as if none were sent,
 * and is refused with 403 where one is; it never counts against the client.
 */
public final class ApiKeys implements Handler<RoutingContext> {

  private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PATCH, HttpMethod.PUT,
    HttpMethod.DELETE);
  private static final String BEARER = "Bearer ";
  private static final String KNOWN_KEY = "surge.gateway.knownKey";

  private final List<byte[]> digests;
  /** The digests of the gateway's keys of the other kind. */
  private final List<byte[]> others;
  private final boolean readsNeedKey;
  /** What the keys are called in answers ("API key"), and the key configuring them ("gateway.apiKeys"). */
  private final String kind;
  private final String configKey;
  private final ClientAddresses clients;
  private final KeyAttempts attempts;

  /**
   * @param hexDigests the SHA-256 of each key of this kind, in hex
   * @param otherHexDigests those of the gateway's keys of the other kind: sent here, they are no guess
   */
  ApiKeys(List<String> hexDigests, List<String> otherHexDigests, boolean readsNeedKey, ClientAddresses clients,
          KeyAttempts attempts, String kind, String configKey) {
    this.kind = kind;
    this.configKey = configKey;
    this.readsNeedKey = readsNeedKey;
    this.clients = clients;
    this.attempts = attempts;
    this.digests = parsed(hexDigests);
    this.others = parsed(otherHexDigests);
  }

  private static List<byte[]> parsed(List<String> hexDigests) {
    return hexDigests.stream().map(d -> HexFormat.of().parseHex(d.toLowerCase(java.util.Locale.ROOT))).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean write = WRITES.contains(ctx.request().method());
    if (digests.isEmpty()) {
      if (!write) {
        ctx.next();
      } else if (!clients.local(ctx) || !LoopbackBrowsers.loopbackHost(ctx.request())) {
        // A name other than loopback's, from this machine: a page's own name rebound to 127.0.0.1 (DNS rebinding).
        refuse(ctx, "No " + kind + "s are configured (" + configKey + "), so writes are taken from this machine "
          + "only, sent to localhost, 127.0.0.1 or [::1]");
      } else if (LoopbackBrowsers.crossSiteChange(ctx.request())) {
        ctx.request().resume();
        throw Problem.of(403, "forbidden", "Forbidden")
          .detail("A write sent by a web page from another site is refused (no " + kind + "s are configured)")
          .asException();
      } else {
        ctx.next();
      }
      return;
    }
    if (bearer(ctx) == null) {
      if (write || readsNeedKey) {
        refuse(ctx, (write ? "Writes" : "Requests") + " need Authorization: Bearer <" + kind + ">");
      } else {
        ctx.next();
      }
      return;
    }
    boolean known = knownKey(ctx) != null;
    if (!known && oneOf(others, sha256(bearer(ctx)))) {
      if (write || readsNeedKey) {
        ctx.request().resume();
        throw Problem.of(403, "forbidden", "Forbidden").detail("The key is the gateway's, but not an " + kind + " ("
          + configKey + ")").asException();
      }
      ctx.next(); // a read that needs no key: as if none were sent
      return;
    }
    ctx.request().pause(); // the body waits, unread, for the verdict
    attempts.attempt(clients.limited(ctx), !known).onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      long waitMs = ar.result();
      if (waitMs > 0) {
        ctx.request().resume();
        long retryAfter = Math.max(1, (waitMs + 999) / 1000);
        ctx.fail(Problem.of(429, "rate-limited", "Too many unknown " + kind + "s")
          .detail("This client sent " + attempts.failures() + " " + kind + "s this gateway does not know; try again in "
            + retryAfter + " s").header("Retry-After", Long.toString(retryAfter)).asException());
      } else if (!known) {
        ctx.request().resume();
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ctx.fail(unauthorized("The " + kind + " is not one this gateway knows"));
      } else {
        ctx.next();
      }
    });
  }

  /**
   * Who a request counts against for rate limits: its API key when the key is one of ours (by digest, never the
   * key), else the client's address (an IPv6 one by its /64: {@link ClientAddresses#limited}), so made-up keys buy
   * nothing.
   */
  public String client(RoutingContext ctx) {
    byte[] known = knownKey(ctx);
    return known != null ? "key:" + HexFormat.of().formatHex(known, 0, 8) : "ip:" + clients.limited(ctx);
  }

  /** The digest of the request's bearer key when it is one of ours, else null: hashed once per request. */
  private byte[] knownKey(RoutingContext ctx) {
    if (ctx.data().containsKey(KNOWN_KEY)) {
      return ctx.get(KNOWN_KEY);
    }
    String bearer = bearer(ctx);
    byte[] known = bearer == null ? null : matching(digests, sha256(bearer));
    ctx.put(KNOWN_KEY, known);
    return known;
  }

  /** The digest of {@code digests} that is {@code given}, or null: every one compared, each in constant time. */
  private static byte[] matching(List<byte[]> digests, byte[] given) {
    byte[] match = null;
    for (byte[] digest : digests) {
      if (MessageDigest.isEqual(digest, given)) {
        match = digest;
      }
    }
    return match;
  }

  private static boolean oneOf(List<byte[]> digests, byte[] given) {
    return matching(digests, given) != null;
  }

  private static String bearer(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
      ? authorization.substring(BEARER.length()).trim() : null;
  }

  private void refuse(RoutingContext ctx, String detail) {
    ctx.request().resume();
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    throw unauthorized(detail);
  }

  private RuntimeException unauthorized(String detail) {
    return Problem.of(401, "unauthorized", kind.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + kind.substring(1)
      + " required").detail(detail).asException();
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
