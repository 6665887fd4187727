package dev.surge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.surge.http.AccessLog;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from Surge's configuration: application logs as text or JSON lines at a level, and the
 * access log on its own logger whose lines are already whole (text, or a JSON object).
 */
public final class LogSetup {

  private LogSetup() {
  }

  public static void apply(String format, String level, boolean accessLogOn) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(console(context, "json".equals(format) ? json(context) : pattern(context,
      "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n")));
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
