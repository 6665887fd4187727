package dev.surge.jobservice.http;

import java.util.List;
import java.util.Objects;

/** How {@code http.request} jobs behave: the response size they read, redirects, and where they may connect. */
public final class HttpRequestJobOptions {

  public static final long DEFAULT_MAX_RESPONSE_SIZE = 10L * 1024 * 1024;
  public static final int DEFAULT_MAX_REDIRECTS = 5;
  public static final boolean DEFAULT_ALLOW_PRIVATE_NETWORKS = false;

  private long maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;
  private int maxRedirects = DEFAULT_MAX_REDIRECTS;
  private List<String> allowedHosts = List.of();
  private boolean allowPrivateNetworks = DEFAULT_ALLOW_PRIVATE_NETWORKS;

  public long getMaxResponseSize() {
    return maxResponseSize;
  }

  /** Largest response body read; a larger one fails the attempt. */
  public HttpRequestJobOptions setMaxResponseSize(long maxResponseSize) {
    this.maxResponseSize = maxResponseSize;
    return this;
  }

  public int getMaxRedirects() {
    return maxRedirects;
  }

  /** Redirects followed, each to a destination checked like the first; 0: a 3xx is the job's answer. */
  public HttpRequestJobOptions setMaxRedirects(int maxRedirects) {
    this.maxRedirects = maxRedirects;
    return this;
  }

  public List<String> getAllowedHosts() {
    return allowedHosts;
  }

  /** Host names (reached whatever they resolve to), IP addresses and CIDRs a job may reach though not public. */
  public HttpRequestJobOptions setAllowedHosts(List<String> allowedHosts) {
    this.allowedHosts = List.copyOf(Objects.requireNonNull(allowedHosts));
    return this;
  }

  public boolean isAllowPrivateNetworks() {
    return allowPrivateNetworks;
  }

  /** Lets jobs reach private (10/8, 172.16/12, 192.168/16, 100.64/10) and unique-local (fc00::/7) addresses. */
  public HttpRequestJobOptions setAllowPrivateNetworks(boolean allowPrivateNetworks) {
    this.allowPrivateNetworks = allowPrivateNetworks;
    return this;
  }
}
