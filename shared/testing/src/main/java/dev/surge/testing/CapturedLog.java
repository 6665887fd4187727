package dev.surge.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The lines one logger writes while this is open, at INFO and above whatever level an earlier test left it at
 * (a test that starts a service with {@code log.level=warn} leaves the root logger there for the whole JVM).
 */
public final class CapturedLog implements AutoCloseable {

  private final Logger logger;
  private final Level previous;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  private CapturedLog(String name) {
    this.logger = (Logger) LoggerFactory.getLogger(name);
    this.previous = logger.getLevel();
    logger.setLevel(Level.INFO);
    lines.start();
    logger.addAppender(lines);
  }

  public static CapturedLog of(String loggerName) {
    return new CapturedLog(loggerName);
  }

  /** Each line's message with its arguments filled in. */
  public List<String> lines() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Each line as Logback has it: its level, its message, any throwable it carries. */
  public List<ILoggingEvent> events() {
    return List.copyOf(lines.list);
  }

  @Override
  public void close() {
    logger.detachAppender(lines);
    logger.setLevel(previous);
  }
}
