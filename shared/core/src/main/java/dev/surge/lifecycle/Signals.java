package dev.surge.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

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
    Map.of("TTIN", ttin, "TTOU", ttou, "HUP", hup).forEach((name, action) -> {
      SignalHandler before = Signal.handle(new Signal(name), signal -> {
        LOG.info("SIG{} received", signal.getName());
        action.run();
      });
      if (before == SignalHandler.SIG_IGN) {
        // The JVM keeps a signal ignored at its start ignored (nohup does so to SIGHUP) and says nothing.
        LOG.warn("SIG{} is ignored by this process (started with it ignored, as nohup does): it will change no "
          + "instance; the admin API does the same (PUT /admin/instances/:verticle, POST /admin/restart)", name);
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
