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
      .setTcpNoDelay(true);
  }
}
