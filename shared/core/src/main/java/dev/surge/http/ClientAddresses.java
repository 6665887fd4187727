package dev.surge.http;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who a request comes from: the socket's peer, or, when that peer is a trusted proxy (the gateway's
 * {@code gateway.trustedProxies}; a service's behind the gateway, such as {@code jobs.events.trustedProxies}), the
 * right-most address in the forwarding header (X-Forwarded-For, or RFC 7239 Forwarded) that is not itself a trusted
 * proxy. A header from any other peer is ignored, since any client can send one. Written here because Vert.x Web's
 * {@code Router.allowForward} believes the headers of every peer: it has no list of trusted proxies.
 */
public final class ClientAddresses {

  public static final String X_FORWARDED_FOR = "x-forwarded-for";
  public static final String FORWARDED = "forwarded";
  public static final List<String> HEADERS = List.of(X_FORWARDED_FOR, FORWARDED);
  /** Headers that say a proxy sent the request, whose client may be anywhere: the forwarding ones and their kin. */
  private static final List<String> PROXY_SIGNS = List.of(X_FORWARDED_FOR, FORWARDED, "x-real-ip", "via",
    "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-client-ip", "true-client-ip");
  /** The client behind a trusted proxy that did not say who it is ("unknown", an obfuscated or malformed hop). */
  static final String UNKNOWN = "unknown";

  private static final String CLIENT = "surge.client";

  private final List<IpSubnetFilterRule> trusted;
  private final boolean rfc7239;

  /** {@code cidrs} each valid by {@link #isCidr}; {@code header} one of {@link #HEADERS}. */
  public ClientAddresses(List<String> cidrs, String header) {
    this.trusted = cidrs.stream().map(ClientAddresses::subnet).toList();
    this.rfc7239 = FORWARDED.equals(header);
  }

  /** An address ({@code 10.0.0.7}, {@code ::1}) or a range ({@code 10.0.0.0/8}, {@code fd00::/8}), literal only. */
  public static boolean isCidr(String cidr) {
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? cidr : cidr.substring(0, slash);
    int bits = NetUtil.isValidIpV4Address(address) ? 32 : NetUtil.isValidIpV6Address(address) ? 128 : -1;
    if (bits < 0 || slash < 0) {
      return bits > 0;
    }
    String prefix = cidr.substring(slash + 1);
    return prefix.matches("\\d{1,3}") && Integer.parseInt(prefix) <= bits;
  }

  /** The range a literal address or CIDR valid by {@link #isCidr} names (an address alone: just it). */
  public static IpSubnetFilterRule subnet(String cidr) {
    int slash = cidr.indexOf('/');
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(slash < 0 ? cidr : cidr.substring(0, slash));
    int bits = slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(cidr.substring(slash + 1));
    return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
  }

  /** The client's address, as a literal; worked out once per request. */
  public String of(RoutingContext ctx) {
    String client = ctx.get(CLIENT);
    if (client == null) {
      client = resolve(ctx.request());
      ctx.put(CLIENT, client);
    }
    return client;
  }

  /**
   * Whom a request counts against where clients are limited (rate limits, key-guess lockouts, streams per client):
   * its client's address ({@link #of}), an IPv6 one by its /64. A host on IPv6 is handed a /64 and picks any address
   * in it at will (privacy addresses, or simply by asking), so counting each address apart gives one client 2^64
   * buckets; a /64 is one site's network.
   */
  public String limited(RoutingContext ctx) {
    return network(of(ctx));
  }

  /**
   * {@code address} (a literal, or "unknown") as {@link #limited} counts it: IPv4 by itself (written in IPv6 too,
   * {@code ::ffff:a.b.c.d}, as a dual-stack socket gives an IPv4 peer: never by that /64, which would put every
   * IPv4 client in one count), IPv6 by its /64.
   */
  static String network(String address) {
    InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(address);
    if (parsed == null) {
      return address; // unknown
    }
    byte[] bytes = parsed.getAddress();
    if (bytes.length == 4) { // Netty parses an IPv4-mapped IPv6 literal into the IPv4 address (tested)
      return NetUtil.bytesToIpAddress(bytes);
    }
    java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
    return NetUtil.bytesToIpAddress(bytes) + "/64";
  }

  /**
   * A client on this machine: the peer is loopback and, when the request carries a forwarding header (a proxy in
   * front, whose clients may be anywhere), the proxy is trusted and the address it forwarded is loopback too.
   */
  public boolean local(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    InetAddress peer = NetUtil.createInetAddressFromIpAddressString(request.remoteAddress().host());
    if (peer == null || !peer.isLoopbackAddress()) {
      return false;
    }
    if (PROXY_SIGNS.stream().noneMatch(h -> request.headers().contains(h))) {
      return true;
    }
    InetAddress client = NetUtil.createInetAddressFromIpAddressString(of(ctx));
    return trusted(peer) && request.headers().contains(rfc7239 ? FORWARDED : X_FORWARDED_FOR)
      && client != null && client.isLoopbackAddress();
  }

  private String resolve(HttpServerRequest request) {
    String host = request.remoteAddress().host();
    InetAddress hop = NetUtil.createInetAddressFromIpAddressString(host);
    if (hop == null || !trusted(hop)) {
      return host;
    }
    List<String> chain = rfc7239 ? forwardedFor(request.headers().getAll(FORWARDED))
      : elements(request.headers().getAll(X_FORWARDED_FOR));
    for (int i = chain.size() - 1; i >= 0; i--) {
      InetAddress address = address(chain.get(i));
      if (address == null) {
        return UNKNOWN; // "unknown", obfuscated or malformed: someone beyond the proxy, never the proxy itself
      }
      hop = address;
      if (!trusted(address)) {
        break;
      }
    }
    return NetUtil.toAddressString(hop);
  }

  private boolean trusted(InetAddress address) {
    InetSocketAddress socket = new InetSocketAddress(address, 0); // an address already: no lookup
    for (IpSubnetFilterRule rule : trusted) {
      if (rule.matches(socket)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code for} of each element of each Forwarded header, in order; an element without one as empty. */
  private static List<String> forwardedFor(List<String> headers) {
    List<String> out = new ArrayList<>();
    for (String element : elements(headers)) {
      String node = "";
      for (String pair : split(element, ';')) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
          node = pair.substring(eq + 1).trim();
        }
      }
      out.add(node);
    }
    return out;
  }

  private static List<String> elements(List<String> headers) {
    List<String> out = new ArrayList<>();
    headers.forEach(header -> out.addAll(split(header, ',')));
    return out;
  }

  /** Split on {@code separator} outside double quotes, each part trimmed. */
  private static List<String> split(String value, char separator) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(value.substring(start, i).trim());
        start = i + 1;
      }
    }
    parts.add(value.substring(start).trim());
    return parts;
  }

  /** A node as proxies write it: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}, {@code ::1}, quoted or not. */
  private static InetAddress address(String node) {
    String s = node.length() >= 2 && node.startsWith("\"") && node.endsWith("\"") ? node.substring(1, node.length() - 1)
      : node;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      s = close < 0 ? "" : s.substring(1, close);
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      s = s.substring(0, s.indexOf(':'));
    }
    return NetUtil.createInetAddressFromIpAddressString(s); // null for anything but a literal address: no lookup
  }
}
