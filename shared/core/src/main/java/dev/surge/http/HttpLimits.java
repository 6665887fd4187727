package dev.surge.http;

import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/** Vert.x's HTTP server options from Surge's: limits, timeouts, backlog. */
final class HttpLimits {

  private HttpLimits() {
  }

  static HttpServerOptions serverOptions(HttpOptions options, int port) {
    return new HttpServerOptions()
      .setHost(options.getHost())
      .setPort(port)
      .setMaxInitialLineLength(options.getMaxInitialLineLength())
      .setMaxHeaderSize(options.getMaxHeaderSize())
      .setIdleTimeout((int) options.getIdleTimeout().toMillis())
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      .setAcceptBacklog(options.getAcceptBacklog())
      .setCompressionSupported(true)
      // No Surge service serves WebSockets: without their compression extensions Vert.x adds no WebSocket
      // extension handler to each connection's pipeline, which every request and every write passed through
      // (docs/BENCHMARKS.md). An upgrade request is answered as any other request, by the routes.
      .setPerFrameWebSocketCompressionSupported(false)
      .setPerMessageWebSocketCompressionSupported(false)
      // HTTP/1.1 only. With h2c on, Vert.x waits for a connection's first bytes before it is an HTTP connection,
      // so an instance handing off cannot see a connection just accepted for it and would close it unread.
      .setHttp2ClearTextEnabled(false)
      .setTcpNoDelay(true);
  }
}
