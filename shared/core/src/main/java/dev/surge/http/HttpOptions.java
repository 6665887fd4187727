package dev.surge.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link HttpServerVerticle} enforces and how it serves: the {@code http.*} keys (their descriptions there) and
 * {@code log.access}.
 */
public final class HttpOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 4096;
  public static final int DEFAULT_MAX_HEADER_SIZE = 8192;
  public static final int DEFAULT_MAX_HEADERS = 100;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_ACCEPT_BACKLOG = 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;
  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
  public static final int DEFAULT_MAX_QUEUED = 1000;
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  public static final String DEFAULT_ACCESS_LOG = "text";

  private String host = DEFAULT_HOST;
  private int maxInitialLineLength = DEFAULT_MAX_INITIAL_LINE_LENGTH;
  private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
  private int maxHeaders = DEFAULT_MAX_HEADERS;
  private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private int acceptBacklog = DEFAULT_ACCEPT_BACKLOG;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private int maxQueued = DEFAULT_MAX_QUEUED;
  private Duration retryAfter = DEFAULT_RETRY_AFTER;
  private String accessLog = DEFAULT_ACCESS_LOG;
  private boolean traced;

  public String getHost() {
    return host;
  }

  /** Address the server binds. */
  public HttpOptions setHost(String host) {
    this.host = Objects.requireNonNull(host);
    return this;
  }

  public int getMaxInitialLineLength() {
    return maxInitialLineLength;
  }

  /** Longest request line; longer gets 414. */
  public HttpOptions setMaxInitialLineLength(int maxInitialLineLength) {
    this.maxInitialLineLength = maxInitialLineLength;
    return this;
  }

  public int getMaxHeaderSize() {
    return maxHeaderSize;
  }

  /** Largest total size of the request headers in bytes; larger gets 431. */
  public HttpOptions setMaxHeaderSize(int maxHeaderSize) {
    this.maxHeaderSize = maxHeaderSize;
    return this;
  }

  public int getMaxHeaders() {
    return maxHeaders;
  }

  /** Most request headers; more gets 431. */
  public HttpOptions setMaxHeaders(int maxHeaders) {
    this.maxHeaders = maxHeaders;
    return this;
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /** An idle keep-alive connection is closed after this (zero: never). */
  public HttpOptions setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = Objects.requireNonNull(idleTimeout);
    return this;
  }

  public int getAcceptBacklog() {
    return acceptBacklog;
  }

  /** Pending connections the kernel queues before accept. */
  public HttpOptions setAcceptBacklog(int acceptBacklog) {
    this.acceptBacklog = acceptBacklog;
    return this;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  /** A request not answered by then gets 503 with Retry-After (streaming paths aside). */
  public HttpOptions setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = Objects.requireNonNull(requestTimeout);
    return this;
  }

  public long getMaxBodySize() {
    return maxBodySize;
  }

  /** Largest request body read into memory; larger gets 413. */
  public HttpOptions setMaxBodySize(long maxBodySize) {
    this.maxBodySize = maxBodySize;
    return this;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  /** Requests one instance handles at once. */
  public HttpOptions setMaxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    return this;
  }

  public int getMaxQueued() {
    return maxQueued;
  }

  /** Requests one instance holds waiting for a slot; beyond it 503 with Retry-After. */
  public HttpOptions setMaxQueued(int maxQueued) {
    this.maxQueued = maxQueued;
    return this;
  }

  public Duration getRetryAfter() {
    return retryAfter;
  }

  /** The Retry-After of a 503. */
  public HttpOptions setRetryAfter(Duration retryAfter) {
    this.retryAfter = Objects.requireNonNull(retryAfter);
    return this;
  }

  /** Whether the process traces (tracing.enabled): the server spans then get their route and request id. */
  public boolean isTraced() {
    return traced;
  }

  public HttpOptions setTraced(boolean traced) {
    this.traced = traced;
    return this;
  }

  public String getAccessLog() {
    return accessLog;
  }

  /** The access log: off, text or json. */
  public HttpOptions setAccessLog(String accessLog) {
    this.accessLog = Objects.requireNonNull(accessLog);
    return this;
  }
}
