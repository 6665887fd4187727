package dev.surge.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM and SIGINT: the first starts a graceful shutdown, a second one closes at once. A JVM shutdown hook
 * cannot tell a second signal from the first, hence the signal handlers (jdk.unsupported).
 */
public final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {
  }

  /**
   * gunicorn's instance signals: TTIN adds an HTTP instance, TTOU removes one, HUP replaces them all one at a
   * time. Each runs on a thread of its own; the arbiter does the work on its own context.
   */
  public static void onInstanceSignals(Runnable ttin, Runnable ttou, Runnable hup) {
    // HUP last: once its line (or its warning) is written, every handler is in place.
    Map<String, Runnable> actions = new LinkedHashMap<>();
    actions.put("TTIN", ttin);
    actions.put("TTOU", ttou);
    actions.put("HUP", hup);
    actions.forEach((name, action) -> {
      SignalHandler before = Signal.handle(new Signal(name), signal -> {
        LOG.info("SIG{} received", signal.getName());
        action.run();
      });
      if ("HUP".equals(name) && before == SignalHandler.SIG_IGN) {
        // The JVM keeps SIGHUP (as SIGINT and SIGTERM) ignored when it was so at its start (nohup does it), and
        // says nothing; other signals it handles anyway.
        LOG.warn("SIGHUP is ignored by this process (started with it ignored, as nohup does): it will replace no "
          + "instance; the admin API does the same (POST /admin/restart)");
      }
    });
  }

  public static void onTerminate(Runnable graceful, Runnable immediate) {
    AtomicInteger received = new AtomicInteger();
    for (String name : new String[]{"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        int n = received.incrementAndGet();
        LOG.info("SIG{} received", signal.getName());
        // Signal handlers run on a JVM thread of their own; the drain waits, so it gets its own thread.
        Thread.ofPlatform().name("surge-shutdown-" + n).start(n == 1 ? graceful : immediate);
      });
    }
  }
}
