package dev.surge.jobservice.http;

import io.netty.handler.ipfilter.IpFilterRuleType;
import dev.surge.http.ClientAddresses;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where {@code http.request} jobs may connect. By default nowhere but public addresses: loopback, link-local
 * (169.254.169.254, the cloud metadata service, among them), private (10/8, 172.16/12, 192.168/16, 100.64/10),
 * unique-local (fc00::/7), multicast, unspecified and reserved addresses are refused, and so is each of them
 * written as an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address. {@code jobs.http.allowedHosts} lets
 * named hosts (whatever they resolve to) and CIDRs through; {@code jobs.http.allowPrivateNetworks} lets the
 * private and unique-local ranges through (never loopback or link-local).
 *
 * <p>The decision is made on the address the job connects to, after resolution (see {@link HttpRequestJob});
 * {@link #hostProblem} refuses before any lookup what the URL's host alone shows (an address literal, a
 * {@code localhost} name, an IPv4 address in a non-canonical form that resolvers read differently).
 */
final class Destinations {

  static final String ADVICE = "http.request jobs may not reach loopback, link-local, private, unique-local, "
    + "multicast, unspecified or reserved addresses unless jobs.http.allowedHosts lists them "
    + "(private networks: jobs.http.allowPrivateNetworks)";

  private static final String PRIVATE = "private";
  /** The refused ranges, most specific first, each with what it is; {@link #PRIVATE} ones are the opt-in's. */
  private static final Map<IpSubnetFilterRule, String> REFUSED = new LinkedHashMap<>();

  static {
    refuse("unspecified", "0.0.0.0/8", "::/128");
    refuse("loopback", "127.0.0.0/8", "::1/128");
    refuse("link-local", "169.254.0.0/16", "fe80::/10");
    refuse(PRIVATE, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fec0::/10");
    refuse("unique-local", "fc00::/7");
    refuse("multicast", "224.0.0.0/4", "ff00::/8");
    refuse("reserved", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4", "2001::/32");
  }

  /** An IPv4 address's last label is a number: then the host is an address and must be written canonically. */
  private static final Pattern NUMERIC_LABEL = Pattern.compile("(?:0x[0-9a-f]*|[0-9]+)");
  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  private static final Pattern CANONICAL_IPV4 = Pattern.compile("(?:" + OCTET + "\\.){3}" + OCTET);

  private final Set<String> allowedNames = new HashSet<>();
  private final List<IpSubnetFilterRule> allowedSubnets = new ArrayList<>();
  private final boolean allowPrivateNetworks;

  /**
   * @param allowedHosts host names, IP addresses and CIDRs such as {@code 10.1.0.0/16}
   * @throws IllegalArgumentException naming the first entry that is none of them
   */
  Destinations(List<String> allowedHosts, boolean allowPrivateNetworks) {
    this.allowPrivateNetworks = allowPrivateNetworks;
    for (String entry : allowedHosts) {
      String host = normalize(entry);
      // An address in its canonical form only (not 0177.0.0.1), as a destination is checked.
      if (ClientAddresses.isCidr(host) && literal(host.split("/", 2)[0]) != null) {
        allowedSubnets.add(ClientAddresses.subnet(host));
      } else if (host.indexOf('/') < 0 && !NUMERIC_LABEL.matcher(lastLabel(host)).matches()) {
        allowedNames.add(host);
      } else {
        throw new IllegalArgumentException("jobs.http.allowedHosts: " + entry
          + " is not a host name, an IP address or a CIDR such as 10.1.0.0/16");
      }
    }
  }

  private static void refuse(String kind, String... cidrs) {
    for (String cidr : cidrs) {
      REFUSED.put(new IpSubnetFilterRule(cidr, IpFilterRuleType.REJECT), kind);
    }
  }

  /**
   * Why a URL with this host is refused before anything is looked up, or null when it may be resolved (and
   * then each address is checked with {@link #refusal}).
   */
  String hostProblem(String rawHost) {
    String host = normalize(rawHost);
    if (allowedNames.contains(host)) {
      return null;
    }
    InetAddress address = literal(host);
    if (address != null) {
      String refusal = refusal(address);
      return refusal == null ? null : host + " is " + refusal + "; " + ADVICE;
    }
    if (host.indexOf(':') >= 0) {
      return host + " is not a valid IPv6 address";
    }
    if (NUMERIC_LABEL.matcher(lastLabel(host)).matches()) {
      return host + " is not an IPv4 address in canonical form (four decimal numbers such as 192.0.2.1)";
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return host + " is a loopback name; " + ADVICE;
    }
    return null;
  }

  /** The host is listed by name in {@code jobs.http.allowedHosts}: it may be reached whatever it resolves to. */
  boolean allowsName(String host) {
    return allowedNames.contains(normalize(host));
  }

  /** What kind of refused address this is ("a loopback address"), or null when jobs may connect to it. */
  String refusal(InetAddress address) {
    InetSocketAddress socket = new InetSocketAddress(address, 0);
    for (IpSubnetFilterRule allowed : allowedSubnets) {
      if (allowed.matches(socket)) {
        return null;
      }
    }
    InetAddress embedded = embeddedIpv4(address);
    if (embedded != null) {
      String refusal = refusal(embedded);
      return refusal == null ? null : refusal.replace(" address", " IPv4 address inside an IPv6 one");
    }
    for (Map.Entry<IpSubnetFilterRule, String> range : REFUSED.entrySet()) {
      if (range.getKey().matches(socket)) {
        if (range.getValue().equals(PRIVATE) || range.getValue().equals("unique-local")) {
          return allowPrivateNetworks ? null : "a " + range.getValue() + " network address";
        }
        return "a" + (range.getValue().startsWith("u") ? "n " : " ") + range.getValue() + " address";
      }
    }
    if (address instanceof Inet4Address && (address.getAddress()[0] & 0xff) == 255) {
      return "a broadcast address";
    }
    return null;
  }

  /**
   * The IPv4 address an IPv6 one carries and is delivered to: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
   * (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::); null for any other address.
   */
  static InetAddress embeddedIpv4(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length != 16) {
      return null;
    }
    int from;
    if (b[0] == 0x20 && b[1] == 0x02) {
      from = 2;
    } else if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      from = 12;
    } else if (zero(b, 0, 12) && !(zero(b, 12, 15) && (b[15] == 0 || b[15] == 1))) {
      from = 12; // IPv4-compatible; :: and ::1 are not (they are ranges of their own)
    } else if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zero(b, 4, 12)) {
      from = 12;
    } else {
      return null;
    }
    try {
      return InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }

  /** The address a host names literally (brackets of an IPv6 host taken off), or null for a name. */
  static InetAddress literal(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!CANONICAL_IPV4.matcher(bare).matches() && !NetUtil.isValidIpV6Address(bare)) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
    try {
      return bytes == null ? null : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static String normalize(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static String lastLabel(String host) {
    return host.substring(host.lastIndexOf('.') + 1);
  }
}
