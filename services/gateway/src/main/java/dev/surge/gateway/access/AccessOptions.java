package dev.surge.gateway.access;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Access} checks, as {@code GatewayMain} reads it from the {@code gateway.*} keys (their descriptions
 * there).
 *
 * @param apiKeyDigests  SHA-256 digests, in hex, of the keys that may write (and read, with {@code readsNeedKey})
 * @param trustedProxies addresses or CIDR ranges whose {@code forwardedHeader} names the client
 * @param rateLimit      requests a second per client; 0: no limit
 * @param operatorKeyDigests SHA-256 digests, in hex, of the keys that may see and change instances through the
 *                       console (none: from this machine only)
 */
public record AccessOptions(List<String> apiKeyDigests, boolean readsNeedKey, List<String> trustedProxies,
                            String forwardedHeader, int keyFailures, Duration keyFailureWindow, int rateLimit,
                            int rateBurst, List<String> operatorKeyDigests) {

  public AccessOptions {
    apiKeyDigests = List.copyOf(apiKeyDigests);
    operatorKeyDigests = List.copyOf(operatorKeyDigests);
    trustedProxies = List.copyOf(trustedProxies);
  }
}
