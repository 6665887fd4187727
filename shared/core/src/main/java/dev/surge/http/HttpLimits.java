package dev.surge.http;

import dev.surge.config.ChassisKeys;
import dev.surge.config.SurgeConfig;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/** The HTTP server options that come from configuration: limits, timeouts, backlog. */
final class HttpLimits {

  private HttpLimits() {
  }

  static HttpServerOptions serverOptions(SurgeConfig config, int port) {
    return new HttpServerOptions()
      .setHost(config.get(ChassisKeys.HTTP_HOST))
      .setPort(port)
      .setMaxInitialLineLength(config.get(ChassisKeys.HTTP_MAX_INITIAL_LINE_LENGTH))
      .setMaxHeaderSize(config.get(ChassisKeys.HTTP_MAX_HEADER_SIZE))
      .setIdleTimeout((int) config.get(ChassisKeys.HTTP_IDLE_TIMEOUT).toMillis())
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      .setAcceptBacklog(config.get(ChassisKeys.HTTP_ACCEPT_BACKLOG))
      .setCompressionSupported(true)
      // HTTP/1.1 only. With h2c on, Vert.x waits for a connection's first bytes before it is an HTTP connection,
      // so an instance handing off cannot see a connection just accepted for it and would close it unread.
      .setHttp2ClearTextEnabled(false)
      .setTcpNoDelay(true);
  }
}
