package dev.surge.gateway.access;

import dev.surge.http.Problem;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * API keys: POST, PATCH, PUT and DELETE (and reads too when {@code gateway.readsNeedKey}) need
 * {@code Authorization: Bearer <key>}, a key whose SHA-256 is configured (the keys themselves never are). Compared in constant time. With no key
 * configured, writes are taken from loopback clients only, so a fresh all-in-one process works on its own machine
 * and nothing is open to the network by accident.
 */
public final class ApiKeys implements Handler<RoutingContext> {

  private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PATCH, HttpMethod.PUT,
    HttpMethod.DELETE);
  private static final String BEARER = "Bearer ";
  private static final String KNOWN_KEY = "surge.gateway.knownKey";

  private final List<byte[]> digests;
  private final boolean readsNeedKey;

  public ApiKeys(List<String> hexDigests, boolean readsNeedKey) {
    this.readsNeedKey = readsNeedKey;
    this.digests = hexDigests.stream().map(d -> HexFormat.of().parseHex(d.toLowerCase(java.util.Locale.ROOT))).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean write = WRITES.contains(ctx.request().method());
    if (!write && !(readsNeedKey && !digests.isEmpty())) {
      ctx.next();
      return;
    }
    if (digests.isEmpty()) {
      if (isLoopback(ctx.request().remoteAddress().host())) {
        ctx.next();
      } else {
        refuse(ctx, "No API keys are configured (gateway.apiKeys), so writes are taken from this machine only");
      }
      return;
    }
    if (bearer(ctx) == null) {
      refuse(ctx, (write ? "Writes" : "Requests") + " need Authorization: Bearer <API key>");
    } else if (knownKey(ctx) == null) {
      refuse(ctx, "The API key is not one this gateway knows");
    } else {
      ctx.next();
    }
  }

  /**
   * Who a request counts against for rate limits: its API key when the key is one of ours (by digest, never the
   * key), else the client's address, so made-up keys buy nothing.
   */
  public String client(RoutingContext ctx) {
    byte[] known = knownKey(ctx);
    return known != null ? "key:" + HexFormat.of().formatHex(known, 0, 8) : "ip:" + ctx.request().remoteAddress().host();
  }

  /** The digest of the request's bearer key when it is one of ours, else null: hashed once per request. */
  private byte[] knownKey(RoutingContext ctx) {
    if (ctx.data().containsKey(KNOWN_KEY)) {
      return ctx.get(KNOWN_KEY);
    }
    byte[] known = null;
    String bearer = bearer(ctx);
    if (bearer != null) {
      byte[] given = sha256(bearer);
      for (byte[] digest : digests) { // every one compared, each in constant time
        if (MessageDigest.isEqual(digest, given)) {
          known = digest;
        }
      }
    }
    ctx.put(KNOWN_KEY, known);
    return known;
  }

  private static String bearer(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
      ? authorization.substring(BEARER.length()).trim() : null;
  }

  private static void refuse(RoutingContext ctx, String detail) {
    ctx.request().resume();
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    throw Problem.of(401, "unauthorized", "API key required").detail(detail).asException();
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal address: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
