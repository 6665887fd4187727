package dev.surge.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a limited client is counted as: an IPv4 address by itself (mapped into IPv6 too), an IPv6 one by its /64. */
class ClientsAreCountedByAddressOrSlash64Test {

  @Test
  void anIpv6AddressIsCountedByItsSlash64() {
    assertThat(ClientAddresses.network("2001:db8:1:2:a:b:c:d")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddresses.network("2001:0db8:0001:0002:0000:0000:0000:0001")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddresses.network("::1")).isEqualTo("::/64");
  }

  @Test
  void anIpv4AddressIsCountedByItselfWrittenEitherWay() {
    assertThat(ClientAddresses.network("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddresses.network("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddresses.network("0:0:0:0:0:ffff:cb00:7108")).as("as a dual-stack socket gives it")
      .isEqualTo("203.0.113.8");
  }

  @Test
  void anUnknownClientStaysUnknown() {
    assertThat(ClientAddresses.network(ClientAddresses.UNKNOWN)).isEqualTo(ClientAddresses.UNKNOWN);
  }
}
