package dev.surge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.surge.http.AccessLog;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures Logback from Surge's configuration: application logs as text or JSON lines at a level, and the
 * access log on its own logger whose lines are already whole (text, or a JSON object).
 */
public final class LogSetup {

  /** The OpenTelemetry SDK's OTLP/HTTP exporter's logger, off. */
  static final String OTLP_EXPORTER_LOGGER = "io.opentelemetry.exporter.otlp.internal.HttpExporter";
  /** Netty's server bootstrap's logger, at ERROR: a WARN a connection while a server closes. */
  static final String NETTY_SERVER_BOOTSTRAP_LOGGER = "io.netty.bootstrap.ServerBootstrap";

  private LogSetup() {
  }

  /** The text format: the trace and span ids show only on lines written inside a span. */
  static final String TEXT = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36}"
    + "%replace( traceId=%X{" + TraceIdsInLogs.TRACE_ID + "} spanId=%X{" + TraceIdsInLogs.SPAN_ID + "}){'^ traceId= spanId=$', ''}"
    + " - %msg%n";

  /**
   * Application logs as {@code format} at {@code level}, the access log on or off; with {@code traced}, each line
   * written inside a span carries its trace and span ids.
   */
  public static void apply(String format, String level, boolean accessLogOn, boolean traced) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    // java.util.logging's users (the OpenTelemetry SDK) in the same format and levels:
    // its handlers replaced by the bridge, and Logback's levels copied to it, so that a line below the level costs
    // JUL nothing (the bridge's known cost otherwise).
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    context.getCopyOfListenerList().stream().filter(LevelChangePropagator.class::isInstance)
      .forEach(context::removeListener);
    LevelChangePropagator levels = new LevelChangePropagator();
    levels.setContext(context);
    levels.setResetJUL(true);
    levels.start();
    context.addListener(levels);
    // Its exporter's lines: a SEVERE with the stack trace for each export that fails, four a minute per service while
    // the collector is down. Tracing says that itself, once a minute at most, with what was dropped (ExportFailures).
    context.getLogger(OTLP_EXPORTER_LOGGER).setLevel(Level.OFF);
    // Vert.x 5.0 closes a listening socket only after its last instance let go of it (eclipse-vertx/vert.x#6087,
    // fixed after 5.0 by #6366): a client connecting in between is accepted with no instance to take it, and Netty's
    // WARN with a stack trace for each kept the acceptor too busy to close the socket while clients reconnected at
    // once: 22,000 to 24,000 lines and 3 s in four drains of five under wrk, against 0 lines and 0.2 to 1.1 s with
    // the WARN off (docs/RELIABILITY.md). Such a client is refused either way. ServerBootstrap's only other WARNs, a
    // channel option the transport does not know or refuses as a server starts, are hidden with it.
    context.getLogger(NETTY_SERVER_BOOTSTRAP_LOGGER).setLevel(Level.ERROR);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    context.getTurboFilterList().removeIf(TraceIdsInLogs.class::isInstance);
    if (traced) {
      TraceIdsInLogs ids = new TraceIdsInLogs();
      ids.setContext(context);
      ids.start();
      context.addTurboFilter(ids);
    }
    root.addAppender(console(context, "json".equals(format) ? json(context) : pattern(context, TEXT)));
    root.setLevel(Level.toLevel(level, Level.INFO));

    Logger access = context.getLogger(AccessLog.LOGGER);
    access.detachAndStopAllAppenders();
    access.setAdditive(false);
    access.setLevel(accessLogOn ? Level.INFO : Level.OFF);
    access.addAppender(console(context, pattern(context, "%msg%n")));
  }

  private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, Encoder<ILoggingEvent> encoder) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  private static Encoder<ILoggingEvent> pattern(LoggerContext context, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
